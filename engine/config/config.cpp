#include "engine/config/config.h"

#include <algorithm>

namespace sluice::config {
namespace {

template <typename T>
const T* findByName(const std::vector<T>& entries, const std::string& name) {
  auto it = std::find_if(entries.begin(), entries.end(), [&](const T& entry) { return entry.name == name; });
  return it == entries.end() ? nullptr : &*it;
}

}  // namespace

const UpstreamConfig* Config::findUpstream(const std::string& name) const {
  return findByName(upstreams, name);
}

const RateLimitConfig* Config::findRateLimit(const std::string& name) const {
  return findByName(rate_limits, name);
}

const CachePolicyConfig* Config::findCachePolicy(const std::string& name) const {
  return findByName(cache_policies, name);
}

}  // namespace sluice::config
