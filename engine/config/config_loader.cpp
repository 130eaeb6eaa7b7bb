#include "engine/config/config_loader.h"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <sstream>
#include <system_error>
#include <thread>

#include <yaml-cpp/eventhandler.h>

#include "engine/config/parse_sections.h"
#include "engine/config/yaml_reader.h"

namespace sluice::config {
namespace {

using detail::Diagnostics;
using detail::Field;
using detail::MapReader;

constexpr std::array<std::string_view, 14> kTopKeys{
    "workers",          "shutdown_grace",  "node_name",      "listeners", "upstreams", "routes",
    "rate_limits",      "rate_limit_table", "trusted_proxies", "cache_policies", "cache", "limits",
    "control",          "log",
};
constexpr uint32_t kMaxWorkers = 1024;
constexpr size_t kMaxNodeName = 64;
constexpr size_t kMaxFileSize = 16 << 20;

uint32_t cpuCount() {
  const unsigned count = std::thread::hardware_concurrency();
  return count == 0 ? 1 : std::min<uint32_t>(count, kMaxWorkers);
}

std::string hostName() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0 || name[0] == '\0') {
    return "sluice";
  }
  return name.data();
}

// workers: an integer, or `auto` (the default) for one per CPU.
void readWorkers(const MapReader& top, Config& config) {
  const Field* field = top.find("workers");
  if (field == nullptr || (field->value.IsScalar() && field->value.Scalar() == "auto")) {
    return;
  }
  const std::string& text = field->value.Scalar();
  if (field->value.IsScalar() &&
      (text.empty() || text.find_first_not_of("-0123456789") != std::string::npos)) {
    top.diag().error(field->line,
                     "'workers' must be an integer or auto, got " + detail::describe(field->value));
    return;
  }
  top.readInt("workers", config.workers, 1, kMaxWorkers);
}

void readNodeName(const MapReader& top, Config& config) {
  if (!top.read("node_name", config.node_name)) {
    return;
  }
  const bool printable = std::all_of(config.node_name.begin(), config.node_name.end(),
                                     [](char c) { return c > 0x20 && c < 0x7f; });
  if (!printable || config.node_name.size() > kMaxNodeName) {
    top.diag().error(top.find("node_name")->line,
                     "'node_name' must be up to 64 printable characters without "
                     "spaces, got " +
                         detail::describe(top.find("node_name")->value));
  }
}

// The admin endpoint binds like a listener: the two must not collide.
void checkAdminAddress(const MapReader& top, const Config& config, Diagnostics& diag) {
  const std::optional<Address>& admin = config.control.admin_http;
  if (!admin || admin->port == 0) {
    return;
  }
  for (const ListenerConfig& listener : config.listeners) {
    if (listener.address.host == admin->host && listener.address.port == admin->port) {
      diag.error(top.find("control")->line,
                 "'admin_http' " + admin->text + " is already used by listener '" + listener.name + "'");
    }
  }
}

void build(const YAML::Node& root, Diagnostics& diag, Config& config) {
  if (root.IsNull()) {
    diag.error(0, "the config is empty: at least one listener is required");
    return;
  }
  if (!root.IsMap()) {
    const int line = detail::lineOf(root);
    diag.error(line > 0 ? line : 1,
               "the config must be a map of keys (listeners, routes, ...), got " + detail::describe(root));
    return;
  }
  MapReader top(root, kTopKeys, diag);
  readWorkers(top, config);
  top.read("shutdown_grace", config.shutdown_grace);
  readNodeName(top, config);
  if (top.require("listeners", "")) {
    detail::parseListeners(*top.find("listeners"), diag, config.listeners);
  }
  // In dependency order, whatever the order in the file: routes refer to the others by name.
  if (const Field* field = top.find("upstreams")) {
    detail::parseUpstreams(*field, diag, config.upstreams);
  }
  if (const Field* field = top.find("rate_limits")) {
    detail::parseRateLimits(*field, diag, config.rate_limits);
  }
  if (const Field* field = top.find("rate_limit_table")) {
    detail::parseRateLimitTable(*field, diag, config.rate_limit_table);
  }
  if (const Field* field = top.find("trusted_proxies")) {
    detail::parseTrustedProxies(*field, diag, config.trusted_proxies);
  }
  if (const Field* field = top.find("cache_policies")) {
    detail::parseCachePolicies(*field, diag, config.cache_policies);
  }
  if (const Field* field = top.find("cache")) {
    detail::parseCache(*field, diag, config.cache);
  }
  if (const Field* field = top.find("limits")) {
    detail::parseLimits(*field, diag, config.limits);
  }
  if (const Field* field = top.find("control")) {
    detail::parseControl(*field, diag, config.control);
  }
  if (const Field* field = top.find("log")) {
    detail::parseLog(*field, diag, config.log);
  }
  if (const Field* field = top.find("routes")) {
    detail::parseRoutes(*field, diag, config);
  }
  checkAdminAddress(top, config, diag);
}

// Notes where documents start. Used instead of YAML::LoadAll, which never returns on inputs such
// as "," in yaml-cpp 0.7 (Debian 12): HandleNextDocument keeps reporting a document without
// consuming input, so it is called at most twice here.
class DocumentCounter final : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// The line of a second YAML document, or 0 when there is only one.
int secondDocumentLine(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentCounter counter;
  for (int i = 0; i < 2 && parser.HandleNextDocument(counter); ++i) {
  }
  if (counter.starts.size() < 2 || counter.starts[1].pos <= counter.starts[0].pos) {
    return 0;
  }
  return counter.starts[1].line + 1;
}

LoadResult fail(Diagnostics& diag) {
  return LoadResult{nullptr, diag.takeSorted()};
}

}  // namespace

LoadResult loadConfigText(std::string_view yaml, const std::string& source_name) {
  Diagnostics diag(source_name);
  try {
    const std::string text(yaml);
    const YAML::Node document = YAML::Load(text);
    if (const int second = secondDocumentLine(text); second != 0) {
      diag.error(second, "only one YAML document is allowed (remove the '---')");
      return fail(diag);
    }
    auto config = std::make_shared<Config>();
    config->source = source_name;
    build(document, diag, *config);
    if (diag.hasErrors()) {
      return fail(diag);
    }
    if (config->workers == 0) {
      config->workers = cpuCount();
    }
    if (config->node_name.empty()) {
      config->node_name = hostName();
    }
    return LoadResult{std::move(config), {}};
  } catch (const YAML::Exception& e) {
    diag.error(e.mark.is_null() ? 0 : e.mark.line + 1, "yaml syntax error: " + e.msg);
  } catch (const std::exception& e) {
    diag.error(0, std::string("cannot load: ") + e.what());
  }
  return fail(diag);
}

std::optional<std::string> readConfigText(const std::string& path, ConfigError& error) {
  error = ConfigError{path, 0, {}};
  std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    error.message = "cannot read: " + std::error_code(errno, std::generic_category()).message();
    return std::nullopt;
  }
  std::string text;
  std::array<char, 16384> chunk;
  size_t got = 0;
  while ((got = std::fread(chunk.data(), 1, chunk.size(), file.get())) > 0) {
    text.append(chunk.data(), got);
    if (text.size() > kMaxFileSize) {
      error.message = "cannot read: the file is larger than 16MiB";
      return std::nullopt;
    }
  }
  if (std::ferror(file.get())) {
    error.message = "cannot read: " + std::error_code(errno, std::generic_category()).message();
    return std::nullopt;
  }
  return text;
}

LoadResult loadConfigFile(const std::string& path) {
  ConfigError error;
  std::optional<std::string> text = readConfigText(path, error);
  if (!text) {
    return LoadResult{nullptr, {std::move(error)}};
  }
  return loadConfigText(*text, path);
}

}  // namespace sluice::config
