#pragma once
// sliding_window: the weighted two-window estimate (as Cloudflare and nginx's limit_req zones with
// a sliding log avoid: O(1) state per key). The count of the window before, weighted by how much
// of it still overlaps the sliding window ending now, plus the count of the current window:
//
//   estimate = previous * (window - elapsed) / window + current
//
// A request is allowed when estimate + 1 <= limit. The state packs the window number (17 bits,
// modulo 2^17), the previous window's count as a 12-bit fraction of the limit (exact when
// limit <= 4095, otherwise rounded up, so the estimate only errs towards refusing, by at most
// limit/4095) and the current count (30 bits). Windows start when the node starts.

#include "engine/filters/rate_limit/decision.h"

namespace sluice::rate_limit {

AlgorithmParams slidingWindowParams(uint64_t limit, uint64_t window_ns);
Decision slidingWindowDecide(const AlgorithmParams& p, uint64_t value, uint64_t now_ns);
uint64_t slidingWindowRefund(const AlgorithmParams& p, uint64_t value, uint64_t now_ns);

inline constexpr int kSlidingWindowIndexBits = 17;

}  // namespace sluice::rate_limit
