#pragma once
// fixed_window: at most `limit` requests in each window [k*window, (k+1)*window) of node time (the
// first window starts when the node starts). The state packs the window number (29 bits, modulo
// 2^29) and the count of allowed requests in it (30 bits). A count from another window means 0.
// Window numbers repeat after 2^29 windows (6 days at the smallest window, 1 ms); the table drops
// keys idle for a quarter of that first (see safeIdleNs in algorithm.h).

#include "engine/filters/rate_limit/decision.h"

namespace sluice::rate_limit {

AlgorithmParams fixedWindowParams(uint64_t limit, uint64_t window_ns);
Decision fixedWindowDecide(const AlgorithmParams& p, uint64_t value, uint64_t now_ns);
uint64_t fixedWindowRefund(const AlgorithmParams& p, uint64_t value, uint64_t now_ns);

inline constexpr int kFixedWindowIndexBits = 29;

}  // namespace sluice::rate_limit
