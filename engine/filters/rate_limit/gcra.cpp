#include "engine/filters/rate_limit/gcra.h"

#include <algorithm>

namespace sluice::rate_limit {
namespace {

constexpr uint64_t kMod = uint64_t{1} << 59;
constexpr uint64_t kMaxTolerance = uint64_t{1} << 57;  // 4.5 years of backlog at most

// TAT - now, from a TAT stored modulo 2^59; negative when the bucket is full again. 0 is a new key
// (a TAT that falls on 0 is stored as 1: a nanosecond later).
int64_t backlogOf(uint64_t value, uint64_t now_ns) {
  if (value == 0) {
    return 0;
  }
  const uint64_t diff = (value - now_ns) & (kMod - 1);
  return diff >= kMod / 2 ? static_cast<int64_t>(diff) - static_cast<int64_t>(kMod) : static_cast<int64_t>(diff);
}

}  // namespace

AlgorithmParams gcraParams(uint64_t limit, uint64_t window_ns, uint64_t burst) {
  AlgorithmParams p;
  p.algorithm = Algorithm::TokenBucket;
  p.limit = std::max<uint64_t>(limit, 1);
  p.burst = burst;
  p.window_ns = window_ns;
  // Rounded to whole nanoseconds; at least 1 ns (the limiter cannot count faster than that).
  p.interval_ns = std::max<uint64_t>(window_ns / p.limit, 1);
  const uint64_t capacity = p.limit + burst;
  p.tolerance_ns = capacity > kMaxTolerance / p.interval_ns ? kMaxTolerance : capacity * p.interval_ns;
  return p;
}

Decision gcraDecide(const AlgorithmParams& p, uint64_t value, uint64_t now_ns) {
  Decision d;
  const uint64_t backlog = static_cast<uint64_t>(std::max<int64_t>(backlogOf(value, now_ns), 0));
  const uint64_t next = backlog + p.interval_ns;
  if (next > p.tolerance_ns) {
    d.retry_ns = next - p.tolerance_ns;
    d.reset_ns = backlog;
    return d;
  }
  d.allowed = true;
  d.write = true;
  d.value = std::max<uint64_t>((now_ns + next) & (kMod - 1), 1);
  d.remaining = (p.tolerance_ns - next) / p.interval_ns;
  d.reset_ns = next;
  return d;
}

uint64_t gcraRefund(const AlgorithmParams& p, uint64_t value, uint64_t now_ns) {
  const int64_t backlog = backlogOf(value, now_ns);
  if (backlog <= 0) {
    return value;
  }
  const uint64_t back = std::min<uint64_t>(static_cast<uint64_t>(backlog), p.interval_ns);
  return std::max<uint64_t>((value - back) & (kMod - 1), 1);
}

}  // namespace sluice::rate_limit
