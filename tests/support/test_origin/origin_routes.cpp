#include "tests/support/test_origin/origin_routes.h"

#include "engine/http/query_params.h"
#include "tests/support/test_origin/cache_routes.h"
#include "tests/support/test_origin/fault_routes.h"

#include <strings.h>

#include <charconv>
#include <nlohmann/json.hpp>

namespace sluice::test_origin {
namespace {

const char* reasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

std::optional<uint64_t> parseNumber(std::string_view text) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string toJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

ResponsePlan fixed(int status, std::string body, std::string content_type = "text/plain") {
  ResponsePlan plan;
  plan.status = status;
  plan.body = std::move(body);
  plan.content_type = std::move(content_type);
  return plan;
}

}  // namespace

std::optional<std::string> Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return std::nullopt;
}

std::optional<std::string> Request::queryParam(std::string_view name) const {
  std::vector<std::string> values = queryParams(name);
  if (values.empty()) {
    return std::nullopt;
  }
  return std::move(values.front());
}

std::vector<std::string> Request::queryParams(std::string_view name) const {
  std::vector<std::string> values;
  std::string_view rest = query;
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      const std::string_view raw = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
      // Lenient: a bad escape is kept as sent (a test fixture, not a parser under test).
      values.push_back(http::percentDecode(raw).value_or(std::string(raw)));
    }
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
  }
  return values;
}

bool wantsBodyHash(std::string_view path) {
  return path == "/upload";
}

ResponsePlan planResponse(const Request& request, const OriginStats& stats, OriginState& state,
                          const std::string& origin_id) {
  const std::string_view path = request.path;
  if (takeFailure(request, state)) {
    return fixed(503, "failing\n");
  }
  if (std::optional<ResponsePlan> plan = planFaultResponse(request, state)) {
    return std::move(*plan);
  }
  if (std::optional<ResponsePlan> plan = planCacheResponse(request, state)) {
    return std::move(*plan);
  }
  if (path == "/echo-headers") {
    nlohmann::json headers = nlohmann::json::array();
    for (const auto& [name, value] : request.headers) {
      headers.push_back({name, value});
    }
    const nlohmann::json echo = {
        {"method", request.method},
        {"target", request.target},
        {"version", std::to_string(request.http_major) + "." + std::to_string(request.http_minor)},
        {"headers", headers},
        {"body_bytes", request.body_bytes},
    };
    return fixed(200, toJson(echo), "application/json");
  }
  if (startsWith(path, "/size/")) {
    const auto size = parseNumber(path.substr(6));
    if (!size) {
      return fixed(400, "bad size\n");
    }
    ResponsePlan plan;
    plan.kind = PlanKind::Generated;
    plan.content_type = "application/octet-stream";
    plan.size = *size;
    plan.chunked = request.queryParam("chunked") == "1";
    return plan;
  }
  if (path == "/upload") {
    const nlohmann::json result = {{"bytes", request.body_bytes}, {"sha256", request.body_sha256}};
    return fixed(200, toJson(result), "application/json");
  }
  if (startsWith(path, "/status/")) {
    const auto status = parseNumber(path.substr(8));
    if (!status || *status < 200 || *status > 599) {
      return fixed(400, "bad status\n");
    }
    ResponsePlan plan = fixed(static_cast<int>(*status), "status " + std::to_string(*status) + "\n");
    if (*status == 204 || *status == 304) {
      plan.bodiless = true;
      plan.body.clear();
    }
    return plan;
  }
  if (startsWith(path, "/delay/")) {
    const auto ms = parseNumber(path.substr(7));
    if (!ms) {
      return fixed(400, "bad delay\n");
    }
    ResponsePlan plan = fixed(200, "delayed " + std::to_string(*ms) + " ms\n");
    plan.kind = PlanKind::Delay;
    plan.delay_ms = *ms;
    return plan;
  }
  if (path == "/close") {
    ResponsePlan plan;
    plan.kind = PlanKind::Close;
    return plan;
  }
  if (path == "/hang") {
    ResponsePlan plan;
    plan.kind = PlanKind::Hang;
    return plan;
  }
  if (path == "/stats") {
    const nlohmann::json result = {{"connections_accepted", stats.connections_accepted},
                                   {"requests", stats.requests},
                                   {"active_connections", stats.active_connections}};
    return fixed(200, toJson(result), "application/json");
  }
  return fixed(200, "hello from " + origin_id + "\n");
}

std::string responseHead(int status, const std::string& origin_id, const std::string& content_type,
                         std::optional<uint64_t> content_length, bool chunked, bool close,
                         const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + reasonPhrase(status) + "\r\n";
  head += "Server: sluice-test-origin\r\n";
  head += "X-Origin-Id: " + origin_id + "\r\n";
  for (const auto& [name, value] : headers) {
    head += name + ": " + value + "\r\n";
  }
  if (!content_type.empty()) {
    head += "Content-Type: " + content_type + "\r\n";
  }
  if (chunked) {
    head += "Transfer-Encoding: chunked\r\n";
  } else if (content_length) {
    head += "Content-Length: " + std::to_string(*content_length) + "\r\n";
  }
  if (close) {
    head += "Connection: close\r\n";
  }
  head += "\r\n";
  return head;
}

}  // namespace sluice::test_origin
