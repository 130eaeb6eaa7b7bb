#pragma once
// The three algorithms behind one interface, chosen by AlgorithmParams::algorithm.

#include "engine/config/config.h"
#include "engine/filters/rate_limit/decision.h"

namespace sluice::rate_limit {

AlgorithmParams paramsFor(const config::RateLimitConfig& policy);
Decision decide(const AlgorithmParams& p, uint64_t value, uint64_t now_ns);
uint64_t refund(const AlgorithmParams& p, uint64_t value, uint64_t now_ns);

// How long a key may stay idle before its stored window number could be mistaken for a current
// one; the table drops idle keys before that (the state of such a key no longer limits anything).
uint64_t safeIdleNs(const AlgorithmParams& p);

}  // namespace sluice::rate_limit
