// limits, control and log: the node's own settings.

#include <sys/un.h>

#include <algorithm>
#include <array>
#include <limits>

#include "engine/config/account_names.h"
#include "engine/config/parse_sections.h"
#include "engine/config/units.h"

namespace sluice::config::detail {
namespace {

constexpr std::array<std::string_view, 12> kLimitsKeys{
    "max_header_size",  "max_uri_size",   "max_headers",  "max_body_size",   "header_timeout",
    "body_timeout",     "idle_timeout",   "send_timeout", "max_connections", "max_requests_per_connection",
    "min_request_rate", "min_rate_grace",
};
// A grace shorter than this would cut clients whose first packets are merely delayed (one lost
// segment costs a 1 s retransmission timeout); a rate above this is no "minimum" any client can be
// held to.
constexpr Duration kMinRateGraceFloor = std::chrono::seconds(1);
constexpr uint64_t kMaxMinRequestRate = 1024 * 1024 * 1024;
constexpr std::array<std::string_view, 6> kControlKeys{"socket",       "socket_group", "allow_uids",
                                                      "allow_groups", "max_clients",  "admin_http"};
constexpr std::array<std::string_view, 2> kLogKeys{"access_log", "level"};
constexpr std::array<std::string_view, 4> kLevels{"debug", "info", "warn", "error"};

// uid_t and gid_t are 32 bits; (uid_t)-1 means "no change" to chown and is never a real id.
constexpr int64_t kMaxId = std::numeric_limits<uint32_t>::max() - 1;

bool allDigits(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A user or group given by number or by name; `kind` is "user" or "group". Names are looked up
// now, so an unknown one is a `file:line` error rather than a surprise at run time.
template <typename Lookup>
std::optional<uint32_t> readAccount(const Field& field, Diagnostics& diag, std::string_view kind, Lookup lookup) {
  if (!field.value.IsScalar()) {
    diag.error(field.line, "'" + field.key + "' must be a " + std::string(kind) + " name or number, got " +
                               describe(field.value));
    return std::nullopt;
  }
  const std::string text = field.value.Scalar();
  if (allDigits(text)) {
    std::optional<int64_t> id = readInt(field, diag, 0, kMaxId);
    return id ? std::optional<uint32_t>(static_cast<uint32_t>(*id)) : std::nullopt;
  }
  std::optional<std::string> name = readString(field, diag);
  if (!name) {
    return std::nullopt;
  }
  auto id = lookup(*name);
  if (!id) {
    diag.error(field.line, "'" + field.key + "': unknown " + std::string(kind) + " '" + *name + "'");
    return std::nullopt;
  }
  return static_cast<uint32_t>(*id);
}

template <typename Id, typename Lookup>
void readAccountList(const MapReader& map, std::string_view key, std::string_view kind, Lookup lookup,
                     std::vector<Id>& out) {
  const Field* field = map.find(key);
  if (field == nullptr) {
    return;
  }
  std::optional<std::vector<Field>> items = readList(*field, map.diag());
  if (!items) {
    return;
  }
  for (const Field& item : *items) {
    if (std::optional<uint32_t> id = readAccount(item, map.diag(), kind, lookup)) {
      out.push_back(static_cast<Id>(*id));
    }
  }
}

}  // namespace

void parseLimits(const Field& field, Diagnostics& diag, LimitsConfig& out) {
  if (!expectMap(field, "'limits'", diag)) {
    return;
  }
  MapReader map(field.value, kLimitsKeys, diag);
  map.readSize("max_header_size", out.max_header_size, 1024, 1024 * 1024);
  if (map.readSize("max_uri_size", out.max_uri_size, 64, 1024 * 1024) &&
      out.max_uri_size > out.max_header_size) {
    diag.error(map.find("max_uri_size")->line, "'max_uri_size' (" + formatSize(out.max_uri_size) +
                                                   ") must not be more than 'max_header_size' (" +
                                                   formatSize(out.max_header_size) + ")");
  }
  map.readInt("max_headers", out.max_headers, 1, 10000);
  map.readSize("max_body_size", out.max_body_size, 0, std::numeric_limits<uint64_t>::max());
  map.read("header_timeout", out.header_timeout, Duration(1));
  map.read("body_timeout", out.body_timeout, Duration(1));
  map.read("idle_timeout", out.idle_timeout, Duration(1));
  map.read("send_timeout", out.send_timeout, Duration(1));
  map.readInt("max_connections", out.max_connections, 1, 10'000'000);
  map.readInt("max_requests_per_connection", out.max_requests_per_connection, 1, 1'000'000'000);
  map.readSize("min_request_rate", out.min_request_rate, 0, kMaxMinRequestRate);
  map.read("min_rate_grace", out.min_rate_grace, kMinRateGraceFloor);
}

void parseControl(const Field& field, Diagnostics& diag, ControlConfig& out) {
  if (!expectMap(field, "'control'", diag)) {
    return;
  }
  MapReader map(field.value, kControlKeys, diag);
  if (map.read("socket", out.socket) && out.socket.size() >= sizeof(sockaddr_un::sun_path)) {
    diag.error(map.find("socket")->line, "'socket' path is longer than " +
                                             std::to_string(sizeof(sockaddr_un::sun_path) - 1) +
                                             " bytes (the limit of a Unix socket address)");
  }
  if (const Field* group = map.find("socket_group")) {
    if (std::optional<uint32_t> gid = readAccount(*group, diag, "group", lookupGroup)) {
      out.socket_group = static_cast<gid_t>(*gid);
    }
  }
  readAccountList(map, "allow_uids", "user", lookupUser, out.allow_uids);
  readAccountList(map, "allow_groups", "group", lookupGroup, out.allow_groups);
  map.readInt("max_clients", out.max_clients, 1, 1024);
  Address admin;
  if (map.readAddress("admin_http", admin, true)) {
    out.admin_http = std::move(admin);
  }
}

void parseLog(const Field& field, Diagnostics& diag, LogConfig& out) {
  if (!expectMap(field, "'log'", diag)) {
    return;
  }
  MapReader map(field.value, kLogKeys, diag);
  if (const Field* access = map.find("access_log")) {
    std::optional<std::string> text = readString(*access, diag);
    if (text && *text != "stdout" && *text != "off" && text->find('/') == std::string::npos) {
      diag.error(access->line, "'access_log' must be stdout, off or a file path containing a '/', got " +
                                   describe(access->value));
    } else if (text) {
      out.access_log = std::move(*text);
    }
  }
  if (const Field* level = map.find("level")) {
    if (std::optional<size_t> index = readChoice(*level, diag, kLevels)) {
      out.level = std::string(kLevels[*index]);
    }
  }
}

}  // namespace sluice::config::detail
