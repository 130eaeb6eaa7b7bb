#include "storage/eviction.h"

#include <algorithm>
#include <string>

#include "storage/key_codec.h"
#include "storage/lmdb_cursor.h"

namespace sluice::storage {

uint64_t usedBytes(Txn& txn, const Dbis& dbis, const Accounting& acct, size_t page_size) {
  uint64_t pages = 0;
  for (const MDB_dbi dbi : {dbis.entries, dbis.access, dbis.atime, dbis.expiry, dbis.tags, dbis.meta}) {
    const MDB_stat stat = txn.stat(dbi);
    pages += stat.ms_branch_pages + stat.ms_leaf_pages + stat.ms_overflow_pages;
  }
  return std::max<uint64_t>(pages * page_size, acct.bytes);
}

uint64_t evictOldest(Txn& txn, EntryTable& table, Accounting& acct, uint64_t target, size_t page_size,
                     uint64_t limit) {
  uint64_t evicted = 0;
  std::string row;  // the oldest access row, copied: the cursor closes before the writes
  while (evicted < limit && !txn.failed() && usedBytes(txn, table.dbis(), acct, page_size) > target) {
    {
      Cursor cursor;
      if (cursor.open(txn, table.dbis().access) != 0) {
        break;
      }
      const auto oldest = cursor.get(MDB_FIRST);
      if (!oldest || !IndexKey::valid(oldest->key)) {
        break;
      }
      row.assign(oldest->key);
    }
    if (table.remove(txn, IndexKey::storedKey(row), acct)) {
      ++evicted;
    } else {
      txn.del(table.dbis().access, row);  // a row without its entry: drop it, or eviction would stall
    }
  }
  return evicted;
}

}  // namespace sluice::storage
