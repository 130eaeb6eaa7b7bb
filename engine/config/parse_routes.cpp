// routes: which requests go where. Parsed after the sections they refer to.

#include <algorithm>
#include <array>
#include <cctype>

#include "engine/config/parse_resilience.h"
#include "engine/config/parse_sections.h"

namespace sluice::config::detail {
namespace {

constexpr std::array<std::string_view, 10> kRouteKeys{"name",        "match",         "upstream", "respond",
                                                      "handler",     "cache",         "rate_limits",
                                                      "max_body_size", "retries",     "timeouts"};
constexpr std::array<std::string_view, 3> kMatchKeys{"host", "path_prefix", "path_exact"};
constexpr std::array<std::string_view, 3> kRespondKeys{"status", "body", "content_type"};
constexpr std::array<Choice<RouteHandler>, 1> kHandlers{{{"status", RouteHandler::Status}}};

// A lowercase host name, optionally "*." + a name: dot-separated labels of [a-z0-9-].
bool isRouteHost(std::string_view host) {
  if (host.starts_with("*.")) {
    host.remove_prefix(2);
  }
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.back() == '.' ||
      host.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

std::optional<std::string> readPath(const MapReader& map, std::string_view key) {
  const Field* field = map.find(key);
  std::optional<std::string> path = field ? readString(*field, map.diag()) : std::nullopt;
  if (!path) {
    return std::nullopt;
  }
  const bool printable = std::all_of(path->begin(), path->end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && c != 0x7f && c != '?' && c != '#';
  });
  if (path->front() != '/' || !printable) {
    map.diag().error(field->line, "'" + std::string(key) +
                                      "' must start with '/' and hold no spaces, '?' or '#', got " +
                                      describe(field->value));
    return std::nullopt;
  }
  return path;
}

void parseMatch(const Field& field, Diagnostics& diag, RouteMatch& match) {
  if (!expectMap(field, "'match'", diag)) {
    return;
  }
  MapReader map(field.value, kMatchKeys, diag);
  if (const Field* host_field = map.find("host")) {
    if (std::optional<std::string> host = readString(*host_field, diag)) {
      std::transform(host->begin(), host->end(), host->begin(),
                     [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
      if (isRouteHost(*host)) {
        match.host = std::move(*host);
      } else {
        diag.error(host_field->line,
                   "bad host " + describe(host_field->value) +
                       ": use a name like api.example.com or *.example.com, without a port");
      }
    }
  }
  match.path_prefix = readPath(map, "path_prefix").value_or("");
  match.path_exact = readPath(map, "path_exact").value_or("");
  if (map.find("path_prefix") && map.find("path_exact")) {
    const int line = std::max(map.find("path_prefix")->line, map.find("path_exact")->line);
    diag.error(line, "'path_prefix' and 'path_exact' are exclusive: use one");
  }
}

void parseRespond(const Field& field, Diagnostics& diag, RespondConfig& respond) {
  if (!expectMap(field, "'respond'", diag)) {
    return;
  }
  MapReader map(field.value, kRespondKeys, diag);
  map.readInt("status", respond.status, 200, 599);
  if (const Field* body = map.find("body")) {
    respond.body = readString(*body, diag, true).value_or("");
  }
  map.read("content_type", respond.content_type);
}

// Exactly one of upstream / respond / handler says what the route does.
void parseAction(const MapReader& map, const Config& config, const std::string& context, RouteConfig& route) {
  Diagnostics& diag = map.diag();
  std::vector<const Field*> actions;
  for (std::string_view key : {"upstream", "respond", "handler"}) {
    if (const Field* field = map.find(key)) {
      actions.push_back(field);
    }
  }
  if (actions.empty()) {
    diag.error(map.line(), context + ": needs one of 'upstream', 'respond' or 'handler'");
    return;
  }
  std::sort(actions.begin(), actions.end(), [](const Field* a, const Field* b) { return a->line < b->line; });
  if (actions.size() > 1) {
    diag.error(actions[1]->line,
               context + ": '" + actions[0]->key + "' and '" + actions[1]->key + "' are exclusive: use one");
    return;
  }
  const Field& action = *actions[0];
  if (action.key == "upstream") {
    route.handler = RouteHandler::Proxy;
    if (std::optional<std::string> name = readString(action, diag)) {
      if (config.findUpstream(*name) == nullptr) {
        diag.error(action.line, context + ": upstream '" + *name + "' is not defined");
      }
      route.upstream = std::move(*name);
    }
  } else if (action.key == "respond") {
    route.handler = RouteHandler::Respond;
    parseRespond(action, diag, route.respond);
  } else {
    map.readEnum("handler", route.handler, kHandlers);
  }
}

void parsePolicyRefs(const MapReader& map, const Config& config, const std::string& context,
                     RouteConfig& route) {
  Diagnostics& diag = map.diag();
  if (const Field* cache = map.find("cache")) {
    if (std::optional<std::string> name = readString(*cache, diag)) {
      if (config.findCachePolicy(*name) == nullptr) {
        diag.error(cache->line, context + ": cache policy '" + *name + "' is not defined");
      }
      route.cache = std::move(*name);
    }
  }
  const Field* limits = map.find("rate_limits");
  std::optional<std::vector<Field>> items = limits ? readList(*limits, diag) : std::nullopt;
  for (const Field& item : items.value_or(std::vector<Field>{})) {
    std::optional<std::string> name = readString(item, diag);
    if (!name) {
      continue;
    }
    if (config.findRateLimit(*name) == nullptr) {
      diag.error(item.line, context + ": rate limit '" + *name + "' is not defined");
    } else if (std::find(route.rate_limits.begin(), route.rate_limits.end(), *name) !=
               route.rate_limits.end()) {
      diag.error(item.line, context + ": rate limit '" + *name + "' is listed twice");
    }
    route.rate_limits.push_back(std::move(*name));
  }
}

}  // namespace

void parseRoutes(const Field& field, Diagnostics& diag, Config& config) {
  std::optional<std::vector<Field>> items = readList(field, diag);
  if (!items) {
    return;
  }
  NameRegistry names("route");
  for (const Field& item : *items) {
    if (!expectMap(item, "each route", diag)) {
      continue;
    }
    MapReader map(item.value, kRouteKeys, diag);
    RouteConfig& route = config.routes.emplace_back();
    route.where = diag.where(item.line);
    names.readName(map, route.name);
    const std::string context = entryContext("route", route.name);
    if (const Field* match = map.find("match")) {
      parseMatch(*match, diag, route.match);
    }
    parseAction(map, config, context, route);
    parsePolicyRefs(map, config, context, route);
    uint64_t max_body = 0;
    if (map.readSize("max_body_size", max_body, 0, std::numeric_limits<uint64_t>::max())) {
      route.max_body_size = max_body;
    }
    parseRouteResilience(map, route);
  }
}

}  // namespace sluice::config::detail
