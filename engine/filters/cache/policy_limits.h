#pragma once
// A route's cache policy in the units the caching functions use (whole seconds). Built once per
// Config snapshot; immutable afterwards.

#include <cstdint>

#include "engine/config/config.h"
#include "engine/filters/cache/cache_control.h"

namespace sluice::filters::cache {

struct PolicyLimits {
  int64_t default_ttl_s = 0;  // lifetime when the origin gives none (heuristically cacheable statuses)
  int64_t max_ttl_s = kDeltaSecondsMax;  // cap on every lifetime, explicit ones included
  int64_t stale_while_revalidate_s = 0;  // when the response has no stale-while-revalidate of its own
  int64_t stale_if_error_s = 0;          // when the response has no stale-if-error of its own
};

PolicyLimits policyLimits(const config::CachePolicyConfig& policy);

}  // namespace sluice::filters::cache
