#pragma once
// What a CacheStore is opened with, what it reports, and what a put carries. Storage knows nothing
// of HTTP: keys and values are opaque bytes.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sluice::storage {

struct StoreOptions {
  std::string path;                      // directory; created (mode 0700) if missing
  uint64_t max_size = 1ull << 30;        // LMDB map size; the store never grows beyond it
  size_t max_pending_bytes = 64u << 20;  // queued-but-uncommitted puts; beyond it put() drops (counted)
  bool sync = true;                      // fsync each write batch (on the writer thread only)
  // A hit moves its entry in the access order at most this often, so hits do not turn into writes.
  uint64_t touch_granularity_ms = 60'000;
  // How often the writer looks for entries whose reclaim_at has passed.
  uint64_t reclaim_interval_ms = 1'000;
};

struct StoreStats {         // read from any thread (atomics)
  uint64_t entries = 0;     // live entries
  uint64_t bytes = 0;       // their accounted bytes (stored key + record)
  uint64_t max_size = 0;    // the map size in effect
  uint64_t used_bytes = 0;  // pages the databases occupy (what eviction watches), as of the last commit
  uint64_t stores = 0;      // puts committed
  uint64_t evictions = 0;   // entries removed to make room
  uint64_t reclaimed = 0;   // expired entries removed
  uint64_t purged = 0;      // entries removed by purges
  uint64_t dropped = 0;     // puts not stored: queue full, too big, invalid, or no room even after evicting
  uint64_t touches = 0;     // entries moved in the access order
  uint64_t map_full = 0;    // write txns that hit MDB_MAP_FULL (each evicts and retries once)
  uint64_t write_batches = 0;
  uint64_t write_errors = 0;
};

struct PutRequest {
  std::string key;                // 1 byte to 16 KiB, any bytes
  std::string value;              // opaque to storage
  uint64_t reclaim_at_ms = 0;     // unix ms after which the reclaimer may delete the entry; 0 = never
  std::vector<std::string> tags;  // purge tags (1 byte to 16 KiB each; duplicates are ignored)
  // Called on the writer thread once the put is committed, or failed in the writer; never for a put
  // that put() refused (it returned false). The cache keeps entries visible until then.
  std::function<void()> settled;
};

}  // namespace sluice::storage
