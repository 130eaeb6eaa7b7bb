// rate_limits, cache_policies and cache. Validated now; enforced by the rate-limit and cache features.

#include <algorithm>
#include <array>
#include <cctype>

#include "engine/config/parse_sections.h"
#include "engine/config/units.h"

namespace sluice::config::detail {
namespace {

constexpr std::array<std::string_view, 6> kRateLimitKeys{"name",  "algorithm", "key",
                                                         "limit", "window",    "burst"};
constexpr std::array<std::string_view, 7> kCachePolicyKeys{
    "name", "default_ttl", "max_ttl", "stale_while_revalidate", "stale_if_error", "max_object_size", "lock_timeout"};
constexpr std::array<std::string_view, 2> kCacheKeys{"path", "max_size"};

constexpr std::array<Choice<RateLimitAlgorithm>, 3> kAlgorithms{{
    {"token_bucket", RateLimitAlgorithm::TokenBucket},
    {"sliding_window", RateLimitAlgorithm::SlidingWindow},
    {"fixed_window", RateLimitAlgorithm::FixedWindow},
}};

constexpr int64_t kMaxCount = 1'000'000'000;

// An HTTP header name (RFC 9110 token).
bool isToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

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
  } else if (text->starts_with(kHeader) && isToken(std::string_view(*text).substr(kHeader.size()))) {
    limit.key = *text;
    std::transform(limit.key.begin(), limit.key.end(), limit.key.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  } else {
    map.diag().error(field->line,
                     "'key' must be client_ip, route or header:NAME, got " + describe(field->value));
  }
}

}  // namespace

void parseRateLimits(const Field& field, Diagnostics& diag, std::vector<RateLimitConfig>& out) {
  std::optional<std::vector<Field>> items = readList(field, diag);
  if (!items) {
    return;
  }
  NameRegistry names("rate limit");
  for (const Field& item : *items) {
    if (!expectMap(item, "each rate limit", diag)) {
      continue;
    }
    MapReader map(item.value, kRateLimitKeys, diag);
    RateLimitConfig& limit = out.emplace_back();
    limit.where = diag.where(item.line);
    names.readName(map, limit.name);
    map.readEnum("algorithm", limit.algorithm, kAlgorithms);
    readKey(map, limit);
    if (map.require("limit", entryContext("rate limit", limit.name))) {
      map.readInt("limit", limit.limit, 1, kMaxCount);
    }
    map.read("window", limit.window, Duration(1));
    map.readInt("burst", limit.burst, 0, kMaxCount);
  }
}

void parseCachePolicies(const Field& field, Diagnostics& diag, std::vector<CachePolicyConfig>& out) {
  std::optional<std::vector<Field>> items = readList(field, diag);
  if (!items) {
    return;
  }
  NameRegistry names("cache policy");
  for (const Field& item : *items) {
    if (!expectMap(item, "each cache policy", diag)) {
      continue;
    }
    MapReader map(item.value, kCachePolicyKeys, diag);
    CachePolicyConfig& policy = out.emplace_back();
    policy.where = diag.where(item.line);
    names.readName(map, policy.name);
    const bool has_default = map.read("default_ttl", policy.default_ttl);
    const bool has_max = map.read("max_ttl", policy.max_ttl, Duration(1));
    map.read("stale_while_revalidate", policy.stale_while_revalidate);
    map.read("stale_if_error", policy.stale_if_error);
    map.readSize("max_object_size", policy.max_object_size, 1, 1ull << 30);
    map.read("lock_timeout", policy.lock_timeout);
    if ((has_default || has_max) && policy.default_ttl > policy.max_ttl) {
      const Field* at = map.find(has_default ? "default_ttl" : "max_ttl");
      diag.error(at->line, entryContext("cache policy", policy.name) + ": 'default_ttl' (" +
                               formatDuration(policy.default_ttl) + ") is more than 'max_ttl' (" +
                               formatDuration(policy.max_ttl) + ")");
    }
  }
}

void parseCache(const Field& field, Diagnostics& diag, CacheConfig& out) {
  if (!expectMap(field, "'cache'", diag)) {
    return;
  }
  MapReader map(field.value, kCacheKeys, diag);
  map.read("path", out.path);
  map.readSize("max_size", out.max_size, 1ull << 20, std::numeric_limits<uint64_t>::max());
}

}  // namespace sluice::config::detail
