#pragma once
// Reclaim: removes entries whose reclaim_at has passed, soonest first from the `expiry` index,
// at most `limit` per call so that one txn stays small. Writer thread only.

#include <cstdint>

#include "storage/entry_table.h"
#include "storage/lmdb_txn.h"

namespace sluice::storage {

struct ReclaimResult {
  uint64_t removed = 0;
  bool more = false;  // stopped at `limit` with expired entries left
};

ReclaimResult reclaimExpired(Txn& txn, EntryTable& table, Accounting& acct, uint64_t now_ms, uint64_t limit);

}  // namespace sluice::storage
