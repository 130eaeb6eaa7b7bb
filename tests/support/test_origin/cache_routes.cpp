#include "tests/support/test_origin/cache_routes.h"

#include <charconv>
#include <nlohmann/json.hpp>

namespace sluice::test_origin {
namespace {

std::optional<uint64_t> number(const std::optional<std::string>& text) {
  uint64_t value = 0;
  if (!text || text->empty()) {
    return std::nullopt;
  }
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) {
    return std::nullopt;
  }
  return value;
}

std::string first(const Request& request, std::string_view name) {
  std::vector<std::string> values = request.queryParams(name);
  return values.empty() ? std::string() : values.front();
}

// If-None-Match lists the entity tag (or is "*"): the weak comparison of RFC 9110, 8.8.3.2.
bool noneMatchHits(const std::string& if_none_match, const std::string& etag) {
  if (if_none_match == "*") {
    return true;
  }
  auto opaque = [](std::string_view tag) { return tag.starts_with("W/") ? tag.substr(2) : tag; };
  std::string_view rest = if_none_match;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    while (!item.empty() && item.front() == ' ') {
      item.remove_prefix(1);
    }
    while (!item.empty() && item.back() == ' ') {
      item.remove_suffix(1);
    }
    if (opaque(item) == opaque(etag)) {
      return true;
    }
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return false;
}

}  // namespace

std::optional<ResponsePlan> planCacheResponse(const Request& request, OriginState& state) {
  const std::string_view path = request.path;
  if (path == "/_fail/on" || path == "/_fail/off") {
    state.failing = path == "/_fail/on";
    ResponsePlan plan;
    plan.body = state.failing ? "failing\n" : "serving\n";
    return plan;
  }
  if (path == "/_counts") {
    ResponsePlan plan;
    plan.content_type = "application/json";
    plan.body = nlohmann::json(state.counts).dump() + "\n";
    return plan;
  }
  if (!path.starts_with("/cache/")) {
    return std::nullopt;
  }
  const uint64_t count = ++state.counts[request.target];
  ResponsePlan plan;
  plan.headers.emplace_back("X-Origin-Count", std::to_string(count));
  if (state.failing) {
    plan.status = 503;
    plan.body = "failing\n";
    return plan;
  }
  const std::string cache_control = first(request, "cc");
  const std::string etag = first(request, "etag");
  const std::string last_modified = first(request, "lm");
  const std::string vary = first(request, "vary");
  const std::string expires = first(request, "expires");
  const std::string tag = first(request, "tag");
  std::vector<std::pair<std::string, std::string>> validators;
  if (!cache_control.empty()) {
    validators.emplace_back("Cache-Control", cache_control);
  }
  if (!etag.empty()) {
    validators.emplace_back("ETag", etag);
  }
  if (!last_modified.empty()) {
    validators.emplace_back("Last-Modified", last_modified);
  }
  if (!expires.empty()) {
    validators.emplace_back("Expires", expires);
  }
  if (!vary.empty()) {
    validators.emplace_back("Vary", vary);
  }
  plan.headers.insert(plan.headers.end(), validators.begin(), validators.end());
  if (!tag.empty()) {
    plan.headers.emplace_back("Cache-Tag", tag);
  }
  for (const std::string& line : request.queryParams("h")) {
    const size_t colon = line.find(':');
    if (colon != std::string::npos) {
      const size_t value = line.find_first_not_of(' ', colon + 1);
      plan.headers.emplace_back(line.substr(0, colon), value == std::string::npos ? "" : line.substr(value));
    }
  }
  const std::optional<std::string> if_none_match = request.header("If-None-Match");
  const std::optional<std::string> if_modified_since = request.header("If-Modified-Since");
  const bool not_modified = (if_none_match && !etag.empty() && noneMatchHits(*if_none_match, etag)) ||
                            (!if_none_match && if_modified_since && !last_modified.empty() &&
                             *if_modified_since == last_modified);
  if (not_modified) {
    plan.status = 304;
    plan.bodiless = true;
    return plan;
  }
  plan.status = static_cast<int>(number(first(request, "status")).value_or(200));
  if (std::optional<uint64_t> size = number(first(request, "size"))) {
    plan.kind = PlanKind::Generated;
    plan.content_type = "application/octet-stream";
    plan.size = *size;
    plan.chunked = first(request, "chunked") == "1";
  } else {
    plan.body = "cache " + std::string(path) + " #" + std::to_string(count) + "\n";
  }
  if (std::optional<uint64_t> delay = number(first(request, "delay")); delay && plan.kind == PlanKind::Fixed) {
    plan.kind = PlanKind::Delay;
    plan.delay_ms = *delay;
  }
  return plan;
}

}  // namespace sluice::test_origin
