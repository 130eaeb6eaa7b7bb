#include "storage/reclaim.h"

#include <string>
#include <vector>

#include "storage/key_codec.h"
#include "storage/lmdb_cursor.h"

namespace sluice::storage {

ReclaimResult reclaimExpired(Txn& txn, EntryTable& table, Accounting& acct, uint64_t now_ms, uint64_t limit) {
  ReclaimResult result;
  std::vector<std::string> expired;  // index rows, copied: the cursor closes before the writes
  {
    Cursor cursor;
    if (cursor.open(txn, table.dbis().expiry) != 0) {
      return result;
    }
    for (auto row = cursor.get(MDB_FIRST); row; row = cursor.get(MDB_NEXT)) {
      if (!IndexKey::valid(row->key) || IndexKey::time(row->key) > now_ms) {
        break;
      }
      if (expired.size() == limit) {
        result.more = true;
        break;
      }
      expired.emplace_back(row->key);
    }
  }
  for (const auto& row : expired) {
    if (table.remove(txn, IndexKey::storedKey(row), acct)) {
      ++result.removed;
    } else {
      txn.del(table.dbis().expiry, row);  // a row without its entry: drop it, or reclaim would stall
    }
  }
  return result;
}

}  // namespace sluice::storage
