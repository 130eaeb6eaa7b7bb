// cache_policies and cache. Validated now; enforced by the cache feature.

#include <algorithm>
#include <array>
#include <cctype>

#include "engine/config/parse_sections.h"
#include "engine/config/units.h"

namespace sluice::config::detail {
namespace {

constexpr std::array<std::string_view, 7> kCachePolicyKeys{
    "name", "default_ttl", "max_ttl", "stale_while_revalidate", "stale_if_error", "max_object_size", "lock_timeout"};
constexpr std::array<std::string_view, 2> kCacheKeys{"path", "max_size"};

}  // namespace

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
