#pragma once
// Eviction: an approximate LRU that costs no write per hit.
//
// Entries sit in the `access` index under be64(last_access_ms) + stored key, oldest first. A hit
// (CacheStore::touch) moves its entry to "now" at most once per touch granularity (60 s by
// default), so the order is exact to within that granularity, and a hot key costs one small
// write a minute instead of one per hit. Eviction pops the oldest rows.
//
// LMDB cannot grow past its map and needs free pages for copy-on-write and for pages freed by the
// last two commits, which it cannot reuse yet; large values also need contiguous runs. So the
// writer keeps the pages in use under a high-water mark (kHighWater of the map) and, once a batch
// would pass it, evicts down to the low-water mark (kLowWater). The margins were measured with the
// 100x-overfill test (tests/unit/storage/eviction_test.cpp); docs/cache-storage.md has the numbers.

#include <cstddef>
#include <cstdint>

#include "storage/entry_table.h"
#include "storage/lmdb_txn.h"
#include "storage/store_schema.h"

namespace sluice::storage {

inline constexpr double kHighWater = 0.75;
inline constexpr double kLowWater = 0.60;

struct Watermarks {
  uint64_t high = 0;
  uint64_t low = 0;
};

inline Watermarks watermarksFor(uint64_t map_size) {
  const auto size = static_cast<double>(map_size);
  return Watermarks{static_cast<uint64_t>(size * kHighWater), static_cast<uint64_t>(size * kLowWater)};
}

// Bytes of the pages the store's trees occupy in `txn`'s view (branch, leaf and overflow pages),
// or the accounted bytes if those are larger (DUPSORT sub-trees are not in LMDB's page counts).
uint64_t usedBytes(Txn& txn, const Dbis& dbis, const Accounting& acct, size_t page_size);

// Evicts the least recently accessed entries until usedBytes() <= target or `limit` entries went.
// Returns how many went.
uint64_t evictOldest(Txn& txn, EntryTable& table, Accounting& acct, uint64_t target, size_t page_size,
                     uint64_t limit);

}  // namespace sluice::storage
