#include "engine/filters/cache/stored_meta.h"

#include <algorithm>

namespace sluice::filters::cache {

namespace {

constexpr int64_t kValidatorGraceMin = 3600;
constexpr int64_t kValidatorGraceMax = 86400;

}  // namespace

int64_t currentAge(const StoredMeta& meta, int64_t now_s) {
  const int64_t resident = std::max<int64_t>(0, now_s - meta.response_time_s);
  return meta.corrected_initial_age_s + resident;
}

uint64_t reclaimAt(const StoredMeta& meta) {
  // All terms are bounded (seconds fields are at most 2^31 after parsing, times are unix seconds),
  // but a corrupt or hand-built meta must not overflow: clamp each term first.
  const auto bounded = [](int64_t v) { return std::clamp<int64_t>(v, 0, int64_t{1} << 40); };
  const int64_t lifetime = bounded(meta.freshness_lifetime_s);
  // The moment current_age reaches the lifetime.
  int64_t at = std::clamp<int64_t>(meta.response_time_s, -(int64_t{1} << 40), int64_t{1} << 40) + lifetime -
               bounded(meta.corrected_initial_age_s);
  at += std::max(bounded(meta.stale_while_revalidate_s), bounded(meta.stale_if_error_s));
  if (meta.hasValidator()) {
    at += std::clamp(lifetime, kValidatorGraceMin, kValidatorGraceMax);
  }
  return at <= 0 ? 0 : static_cast<uint64_t>(at) * 1000;
}

bool worthStoring(const StoredMeta& meta) {
  return meta.response_time_s < 0 || reclaimAt(meta) > static_cast<uint64_t>(meta.response_time_s) * 1000;
}

}  // namespace sluice::filters::cache
