#include "engine/filters/rate_limit/in_flight.h"

namespace sluice::rate_limit {
namespace {

void releaseCount(void* table, uint64_t token) {
  static_cast<LimiterTable*>(table)->updateToken(token, [](uint64_t value) {
    const uint64_t count = value & LimiterTable::kPayloadMask;
    if (count <= 1) {
      return uint64_t{0};  // unpinned: the sweeper may drop the key once it has been idle
    }
    return LimiterTable::kPinned | (count - 1);
  });
}

}  // namespace

Acquired acquireCount(LimiterTable& table, uint64_t hash, uint64_t max, uint32_t now_s, core::Lease& lease) {
  bool refused = false;
  uint64_t token = 0;
  const uint32_t expire_at = now_s + table.idleTimeout();
  const bool stored = table.update(
      hash, now_s,
      [&](uint64_t value) {
        const uint64_t count = value & LimiterTable::kPayloadMask;
        refused = count >= max;
        LimiterTable::Update u;
        u.write = !refused;
        u.value = LimiterTable::kPinned | (count + 1);
        u.expire_at = expire_at;
        return u;
      },
      token);
  if (!stored) {
    return Acquired::Untracked;
  }
  if (refused) {
    return Acquired::Refused;
  }
  lease = core::Lease(&releaseCount, &table, token);
  return Acquired::Held;
}

}  // namespace sluice::rate_limit
