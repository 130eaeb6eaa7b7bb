#include "engine/stats/worker_stats.h"

namespace sluice::stats {

// "_none" takes slot 0 so it exists before any route and can never land in the overflow slot.
WorkerStats::WorkerStats() : no_route_(routes_.claim(kNoRouteName)) {}

}  // namespace sluice::stats
