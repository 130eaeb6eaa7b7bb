// rate_limits, rate_limit_table and trusted_proxies: what the rate-limit filter enforces.

#include <algorithm>
#include <array>
#include <cctype>

#include "engine/http/header_token.h"
#include "engine/config/parse_sections.h"
#include "engine/config/units.h"

namespace sluice::config::detail {
namespace {

constexpr std::array<std::string_view, 14> kRateLimitKeys{
    "name",          "algorithm",       "key",     "limit",    "window",           "burst",
    "mode",          "headers",         "fallback", "missing_key_status", "ipv4_prefix", "ipv6_prefix",
    "max_in_flight", "in_flight_status"};
constexpr std::array<std::string_view, 2> kTableKeys{"max_keys", "idle_timeout"};

constexpr std::array<Choice<RateLimitAlgorithm>, 3> kAlgorithms{{
    {"token_bucket", RateLimitAlgorithm::TokenBucket},
    {"sliding_window", RateLimitAlgorithm::SlidingWindow},
    {"fixed_window", RateLimitAlgorithm::FixedWindow},
}};
constexpr std::array<Choice<RateLimitMode>, 2> kModes{{
    {"enforce", RateLimitMode::Enforce},
    {"dry_run", RateLimitMode::DryRun},
}};

constexpr int64_t kMaxCount = 1'000'000'000;
constexpr int64_t kMaxInFlight = 1'000'000;
constexpr int64_t kMaxKeys = 100'000'000;

// client_ip | route | header:NAME, the header name lowercased (header names are case-insensitive).
void readKey(const MapReader& map, RateLimitConfig& limit) {
  const Field* field = map.find("key");
  std::optional<std::string> text = field ? readString(*field, map.diag()) : std::nullopt;
  if (!text) {
    return;
  }
  constexpr std::string_view kHeader = "header:";
  if (*text == "client_ip" || *text == "route") {
    limit.key = *text;
  } else if (text->starts_with(kHeader) && http::isToken(std::string_view(*text).substr(kHeader.size()))) {
    limit.key = *text;
    std::transform(limit.key.begin(), limit.key.end(), limit.key.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  } else {
    map.diag().error(field->line,
                     "'key' must be client_ip, route or header:NAME, got " + describe(field->value));
  }
}

// Keys that only mean something for one kind of key are refused on the others rather than
// silently ignored.
void checkKeySpecific(const MapReader& map, const RateLimitConfig& limit, const std::string& context) {
  const bool header = limit.key.starts_with("header:");
  for (std::string_view k : {"fallback", "missing_key_status"}) {
    if (const Field* f = map.find(k); f != nullptr && !header) {
      map.diag().error(f->line, context + ": '" + std::string(k) + "' applies only to header:NAME keys");
    }
  }
  for (std::string_view k : {"ipv4_prefix", "ipv6_prefix"}) {
    if (const Field* f = map.find(k); f != nullptr && limit.key != "client_ip") {
      map.diag().error(f->line, context + ": '" + std::string(k) + "' applies only to the client_ip key");
    }
  }
}

void readStatuses(const MapReader& map, RateLimitConfig& limit, const std::string& context) {
  map.readInt("missing_key_status", limit.missing_key_status, 400, 599);
  if (const Field* f = map.find("in_flight_status")) {
    if (map.readInt("in_flight_status", limit.in_flight_status, 100, 599) && limit.in_flight_status != 429 &&
        limit.in_flight_status != 503) {
      map.diag().error(f->line, context + ": 'in_flight_status' must be 429 or 503, got " +
                                    std::to_string(limit.in_flight_status));
    }
  }
}

// A header-keyed policy may hand requests without its header to another policy; that chain must
// end (it is followed per request).
void checkFallbacks(const std::vector<RateLimitConfig>& limits, const std::vector<int>& lines,
                    Diagnostics& diag) {
  for (size_t i = 0; i < limits.size(); ++i) {
    const RateLimitConfig& limit = limits[i];
    if (limit.fallback.empty()) {
      continue;
    }
    const std::string context = entryContext("rate limit", limit.name);
    auto find = [&](const std::string& name) {
      return std::find_if(limits.begin(), limits.end(), [&](const RateLimitConfig& l) { return l.name == name; });
    };
    if (find(limit.fallback) == limits.end()) {
      diag.error(lines[i], context + ": fallback '" + limit.fallback + "' is not defined");
      continue;
    }
    std::string path = limit.name;
    std::string next = limit.fallback;
    for (size_t hops = 0; !next.empty() && hops <= limits.size(); ++hops) {
      path += " -> " + next;
      if (next == limit.name) {
        diag.error(lines[i], context + ": fallback loop " + path);
        break;
      }
      auto it = find(next);
      next = it == limits.end() ? std::string() : it->fallback;
    }
  }
}

}  // namespace

void parseRateLimits(const Field& field, Diagnostics& diag, std::vector<RateLimitConfig>& out) {
  std::optional<std::vector<Field>> items = readList(field, diag);
  if (!items) {
    return;
  }
  NameRegistry names("rate limit");
  std::vector<int> fallback_lines;
  for (const Field& item : *items) {
    if (!expectMap(item, "each rate limit", diag)) {
      continue;
    }
    MapReader map(item.value, kRateLimitKeys, diag);
    RateLimitConfig& limit = out.emplace_back();
    limit.where = diag.where(item.line);
    names.readName(map, limit.name);
    const std::string context = entryContext("rate limit", limit.name);
    map.readEnum("algorithm", limit.algorithm, kAlgorithms);
    map.readEnum("mode", limit.mode, kModes);
    readKey(map, limit);
    const bool in_flight = map.readInt("max_in_flight", limit.max_in_flight, 1, kMaxInFlight);
    // A policy limits a request rate, concurrency, or both; `limit` is needed for a rate.
    if (in_flight ? map.find("limit") != nullptr : map.require("limit", context)) {
      map.readInt("limit", limit.limit, 1, kMaxCount);
    }
    map.read("window", limit.window, Duration(1));
    map.readInt("burst", limit.burst, 0, kMaxCount);
    map.readBool("headers", limit.headers);
    map.read("fallback", limit.fallback);
    map.readInt("ipv4_prefix", limit.ipv4_prefix, 1, 32);
    map.readInt("ipv6_prefix", limit.ipv6_prefix, 1, 128);
    readStatuses(map, limit, context);
    checkKeySpecific(map, limit, context);
    const Field* fallback = map.find("fallback");
    fallback_lines.push_back(fallback != nullptr ? fallback->line : item.line);
  }
  checkFallbacks(out, fallback_lines, diag);
}

void parseRateLimitTable(const Field& field, Diagnostics& diag, RateLimitTableConfig& out) {
  if (!expectMap(field, "'rate_limit_table'", diag)) {
    return;
  }
  MapReader map(field.value, kTableKeys, diag);
  map.readInt("max_keys", out.max_keys, 1, kMaxKeys);
  if (map.read("idle_timeout", out.idle_timeout, std::chrono::seconds(1)) && out.idle_timeout > std::chrono::hours(24)) {
    diag.error(map.find("idle_timeout")->line,
               "'idle_timeout' must be at most 1d, got " + formatDuration(out.idle_timeout));
  }
}

void parseTrustedProxies(const Field& field, Diagnostics& diag, std::vector<core::Cidr>& out) {
  std::optional<std::vector<Field>> items = readList(field, diag);
  for (const Field& item : items.value_or(std::vector<Field>{})) {
    std::optional<std::string> text = readString(item, diag);
    if (!text) {
      continue;
    }
    std::string why;
    if (std::optional<core::Cidr> cidr = core::parseCidr(*text, &why)) {
      out.push_back(*cidr);
    } else {
      diag.error(item.line, "bad CIDR " + describe(item.value) + " in 'trusted_proxies': " + why);
    }
  }
}

}  // namespace sluice::config::detail
