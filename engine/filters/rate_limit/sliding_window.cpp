#include "engine/filters/rate_limit/sliding_window.h"

#include <algorithm>

namespace sluice::rate_limit {
namespace {

using u128 = unsigned __int128;

constexpr int kCountBits = 30;
constexpr int kPrevBits = 12;
constexpr uint64_t kCountMask = (uint64_t{1} << kCountBits) - 1;
constexpr uint64_t kPrevMask = (uint64_t{1} << kPrevBits) - 1;  // 4095
constexpr uint64_t kIndexMask = (uint64_t{1} << kSlidingWindowIndexBits) - 1;
constexpr int kIndexShift = kCountBits + kPrevBits;

struct Counts {
  uint64_t previous = 0;
  uint64_t current = 0;
};

uint64_t quantize(uint64_t previous, uint64_t limit) {
  if (limit <= kPrevMask) {
    return previous;
  }
  return static_cast<uint64_t>((static_cast<u128>(previous) * kPrevMask + limit - 1) / limit);
}

uint64_t dequantize(uint64_t q, uint64_t limit) {
  return limit <= kPrevMask ? q : static_cast<uint64_t>(static_cast<u128>(q) * limit / kPrevMask);
}

Counts decode(const AlgorithmParams& p, uint64_t value, uint64_t index) {
  const uint64_t stored = value >> kIndexShift;
  const uint64_t current = value & kCountMask;
  if (stored == (index & kIndexMask)) {
    return {dequantize((value >> kCountBits) & kPrevMask, p.limit), current};
  }
  if (stored == ((index - 1) & kIndexMask)) {
    return {current, 0};  // the stored window is the previous one: its count, exactly
  }
  return {};
}

uint64_t pack(const AlgorithmParams& p, uint64_t index, const Counts& c) {
  return ((index & kIndexMask) << kIndexShift) | (quantize(c.previous, p.limit) << kCountBits) |
         (c.current & kCountMask);
}

// Smallest elapsed time e with previous * (w - e) <= room * w, i.e. e >= w - room * w / previous.
uint64_t elapsedNeeded(uint64_t previous, uint64_t room, uint64_t w) {
  if (previous == 0) {
    return 0;
  }
  const u128 allowed = static_cast<u128>(room) * w / previous;
  return allowed >= w ? 0 : w - static_cast<uint64_t>(allowed);
}

}  // namespace

AlgorithmParams slidingWindowParams(uint64_t limit, uint64_t window_ns) {
  return windowParams(Algorithm::SlidingWindow, limit, window_ns, kCountMask);
}

Decision slidingWindowDecide(const AlgorithmParams& p, uint64_t value, uint64_t now_ns) {
  Decision d;
  const uint64_t w = p.window_ns;
  const uint64_t index = now_ns / w;
  const uint64_t elapsed = now_ns - index * w;
  const uint64_t to_end = w - elapsed;
  const Counts c = decode(p, value, index);
  // Everything scaled by w to stay in integers: previous * (w - e) + (current + 1) * w <= limit * w.
  const u128 weighted = static_cast<u128>(c.previous) * to_end;
  const u128 used = weighted + static_cast<u128>(c.current + 1) * w;
  const u128 quota = static_cast<u128>(p.limit) * w;
  if (used > quota) {
    if (c.current + 1 <= p.limit) {
      // The previous window's weight is the obstacle: wait until enough of it has slid out.
      const uint64_t need = elapsedNeeded(c.previous, p.limit - 1 - c.current, w);
      d.retry_ns = std::max<uint64_t>(need > elapsed ? need - elapsed : 1, 1);
    } else {
      // The current window is full: in the next one it becomes the weighted previous window.
      d.retry_ns = to_end + elapsedNeeded(c.current, p.limit - 1, w);
    }
    d.reset_ns = c.current > 0 ? to_end + w : to_end;
    return d;
  }
  d.allowed = true;
  d.write = true;
  d.value = pack(p, index, Counts{c.previous, c.current + 1});
  d.remaining = static_cast<uint64_t>((quota - used) / w);
  d.reset_ns = to_end + w;
  return d;
}

uint64_t slidingWindowRefund(const AlgorithmParams& p, uint64_t value, uint64_t now_ns) {
  const uint64_t index = now_ns / p.window_ns;
  if ((value >> kIndexShift) != (index & kIndexMask) || (value & kCountMask) == 0) {
    return value;
  }
  return value - 1;
}

}  // namespace sluice::rate_limit
