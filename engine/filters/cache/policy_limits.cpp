#include "engine/filters/cache/policy_limits.h"

#include <chrono>

namespace sluice::filters::cache {

namespace {

int64_t seconds(config::Duration d) {
  return std::chrono::duration_cast<std::chrono::seconds>(d).count();
}

}  // namespace

PolicyLimits policyLimits(const config::CachePolicyConfig& policy) {
  PolicyLimits limits;
  limits.default_ttl_s = seconds(policy.default_ttl);
  limits.max_ttl_s = seconds(policy.max_ttl);
  limits.stale_while_revalidate_s = seconds(policy.stale_while_revalidate);
  limits.stale_if_error_s = seconds(policy.stale_if_error);
  return limits;
}

}  // namespace sluice::filters::cache
