#pragma once
// What the writer thread's parts share: the environment, the entry table, the committed accounting
// and the counters, and the txn plumbing around them (begin, commit with accounting, making room).
// Writer thread only.

#include <cstddef>
#include <cstdint>

#include "storage/entry_table.h"
#include "storage/eviction.h"
#include "storage/lmdb_env.h"
#include "storage/lmdb_txn.h"
#include "storage/store_counters.h"
#include "storage/store_options.h"
#include "storage/store_schema.h"

namespace sluice::storage {

class WriterCore {
 public:
  WriterCore(Env& env, const Dbis& dbis, const StoreOptions& options, StoreCounters& counters,
             const Accounting& committed);

  // Starts a write txn with `acct` set to the committed accounting.
  [[nodiscard]] int begin(Txn& txn, Accounting& acct);
  // Stores `acct` and commits; on success `acct` becomes the committed accounting and the entry,
  // byte, used-byte and batch counters are published. Returns 0 or the LMDB code.
  [[nodiscard]] int commit(Txn& txn, const Accounting& acct);
  // Evicts down to the low-water mark when the pages in use plus `incoming` bytes would pass the
  // high-water mark. Returns how many entries went.
  uint64_t makeRoom(Txn& txn, Accounting& acct, uint64_t incoming);
  // After MDB_MAP_FULL: evicts a chunk in a txn of its own, then commits one more small txn, since
  // LMDB reuses pages freed by a txn only two commits later. False if that failed too.
  bool recoverFromMapFull(uint64_t incoming);
  // What a put will need in pages, roughly: overflow values take whole pages, small ones share.
  uint64_t estimateBytes(const PutRequest& request) const;

  EntryTable& table() { return table_; }
  const StoreOptions& options() const { return options_; }
  StoreCounters& counters() { return counters_; }
  Env& env() { return env_; }

 private:
  Env& env_;
  EntryTable table_;
  const StoreOptions& options_;
  StoreCounters& counters_;
  Accounting committed_;
  const size_t page_size_;
  const Watermarks marks_;
};

}  // namespace sluice::storage
