// limits, control and log: the node's own settings.

#include <sys/un.h>

#include <array>

#include "engine/config/parse_sections.h"
#include "engine/config/units.h"

namespace sluice::config::detail {
namespace {

constexpr std::array<std::string_view, 10> kLimitsKeys{
    "max_header_size", "max_uri_size", "max_headers",  "max_body_size",   "header_timeout",
    "body_timeout",    "idle_timeout", "send_timeout", "max_connections", "max_requests_per_connection",
};
constexpr std::array<std::string_view, 2> kControlKeys{"socket", "admin_http"};
constexpr std::array<std::string_view, 2> kLogKeys{"access_log", "level"};
constexpr std::array<std::string_view, 4> kLevels{"debug", "info", "warn", "error"};

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
