#pragma once
// Entry operations shared by every write path (puts, erases, touches, eviction, reclaim, purges):
// an entry, its index rows (access, atime, expiry, tags) and the accounting change together in the
// caller's write txn, which is what keeps verify() clean. Writer thread only.
//
// LMDB errors are left in the txn's sticky error (check txn.failed() or commit()).

#include <cstdint>
#include <string_view>

#include "storage/key_codec.h"
#include "storage/lmdb_txn.h"
#include "storage/store_options.h"
#include "storage/store_schema.h"

namespace sluice::storage {

class EntryTable {
 public:
  explicit EntryTable(const Dbis& dbis) : dbis_(dbis) {}

  // Stores `request` under `key` (replacing what was there) with last access `now_ms`. The tags
  // must be sorted, unique and valid keys (CacheStore::put normalises them).
  void insert(Txn& txn, const StoredKey& key, const PutRequest& request, uint64_t now_ms, Accounting& acct);
  // Removes the entry and its index rows; false when there was none.
  bool remove(Txn& txn, std::string_view stored_key, Accounting& acct);
  // Moves the entry to `now_ms` in the access order unless it moved less than `granularity_ms` ago;
  // true when it moved.
  bool touch(Txn& txn, std::string_view stored_key, uint64_t now_ms, uint64_t granularity_ms);

  const Dbis& dbis() const { return dbis_; }

 private:
  void setAccess(Txn& txn, std::string_view stored_key, uint64_t time_ms);

  Dbis dbis_;
};

}  // namespace sluice::storage
