#pragma once
// CPU time and resident memory of this process, read from /proc/self/stat and /proc/self/statm.
// Any thread; a few small reads, meant for the control thread once a second or per scrape.

#include <cstdint>

namespace sluice::control {

struct ProcessStats {
  double cpu_seconds = 0;  // user + system
  uint64_t rss_bytes = 0;
};

// Fields that cannot be read stay 0.
ProcessStats readProcessStats();

}  // namespace sluice::control
