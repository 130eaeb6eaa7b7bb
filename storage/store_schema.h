#pragma once
// The named databases of a cache store and the accounting kept with them.
//
//   entries  stored key → record (record.h)
//   access   be64(last_access_ms) + stored key → ""   oldest first: the eviction order
//   atime    stored key → u64 last_access_ms           where the entry sits in `access`
//   expiry   be64(reclaim_at_ms) + stored key → ""    entries with a reclaim time, soonest first
//   tags     stored tag → stored key (MDB_DUPSORT)     the purge-by-tag index
//   meta     "format" → u32, "accounting" → {u64 entries, u64 bytes}
//
// Every write txn keeps all of them and the accounting consistent (verify.h checks it), so the
// numbers survive restarts exactly.

#include <lmdb.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/lmdb_env.h"
#include "storage/lmdb_txn.h"

namespace sluice::storage {

inline constexpr unsigned kMaxDbs = 8;
inline constexpr uint32_t kFormatVersion = 1;

struct Dbis {
  MDB_dbi entries = 0;
  MDB_dbi access = 0;
  MDB_dbi atime = 0;
  MDB_dbi expiry = 0;
  MDB_dbi tags = 0;
  MDB_dbi meta = 0;
};

struct Accounting {
  uint64_t entries = 0;
  uint64_t bytes = 0;  // sum of accountedBytes() over entries
};

inline uint64_t accountedBytes(std::string_view stored_key, std::string_view record) {
  return stored_key.size() + record.size();
}

// Opens the databases (creating them on first use), checks the format and loads the accounting.
bool openSchema(Env& env, Dbis& dbis, Accounting& accounting, std::string& error);

bool loadAccounting(Txn& txn, const Dbis& dbis, Accounting& out);
bool storeAccounting(Txn& txn, const Dbis& dbis, const Accounting& accounting);

}  // namespace sluice::storage
