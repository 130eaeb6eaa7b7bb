#include "engine/filters/rate_limit/fixed_window.h"

#include <algorithm>

namespace sluice::rate_limit {
namespace {

constexpr int kCountBits = 30;
constexpr uint64_t kCountMask = (uint64_t{1} << kCountBits) - 1;
constexpr uint64_t kIndexMask = (uint64_t{1} << kFixedWindowIndexBits) - 1;

uint64_t pack(uint64_t index, uint64_t count) {
  return ((index & kIndexMask) << kCountBits) | (count & kCountMask);
}

uint64_t countIn(uint64_t value, uint64_t index) {
  return (value >> kCountBits) == (index & kIndexMask) ? value & kCountMask : 0;
}

}  // namespace

AlgorithmParams fixedWindowParams(uint64_t limit, uint64_t window_ns) {
  return windowParams(Algorithm::FixedWindow, limit, window_ns, kCountMask);
}

Decision fixedWindowDecide(const AlgorithmParams& p, uint64_t value, uint64_t now_ns) {
  Decision d;
  const uint64_t index = now_ns / p.window_ns;
  const uint64_t count = countIn(value, index);
  const uint64_t end_ns = (index + 1) * p.window_ns - now_ns;
  if (count >= p.limit) {
    d.retry_ns = end_ns;
    d.reset_ns = end_ns;
    return d;
  }
  d.allowed = true;
  d.write = true;
  d.value = pack(index, count + 1);
  d.remaining = p.limit - count - 1;
  d.reset_ns = end_ns;
  return d;
}

uint64_t fixedWindowRefund(const AlgorithmParams& p, uint64_t value, uint64_t now_ns) {
  const uint64_t index = now_ns / p.window_ns;
  const uint64_t count = countIn(value, index);
  return count == 0 ? value : pack(index, count - 1);
}

}  // namespace sluice::rate_limit
