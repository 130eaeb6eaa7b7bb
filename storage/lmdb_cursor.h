#pragma once
// A move-only LMDB cursor over one database in one Txn. Close it (or let it go out of scope) before
// the txn commits (STYLE.md). Errors go to the txn's sticky error; MDB_NOTFOUND is an empty
// optional. The txn must outlive the cursor and must not move while it is open.

#include <lmdb.h>

#include <optional>
#include <string_view>

#include "storage/lmdb_txn.h"

namespace sluice::storage {

struct KeyValue {
  std::string_view key;
  std::string_view value;
};

class Cursor {
 public:
  Cursor() = default;
  ~Cursor() { close(); }
  Cursor(Cursor&& other) noexcept;
  Cursor& operator=(Cursor&& other) noexcept;
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  [[nodiscard]] int open(Txn& txn, MDB_dbi dbi);
  void close();

  // Moves without a key: MDB_FIRST, MDB_LAST, MDB_NEXT, MDB_NEXT_DUP, MDB_GET_CURRENT, ...
  std::optional<KeyValue> get(MDB_cursor_op op);
  // Moves to a key (MDB_SET_KEY, MDB_SET_RANGE) or a key and value (MDB_GET_BOTH_RANGE); returns
  // where it landed.
  std::optional<KeyValue> seek(MDB_cursor_op op, std::string_view key, std::string_view value = {});

 private:
  std::optional<KeyValue> finish(int rc, const MDB_val& key, const MDB_val& value);

  MDB_cursor* cursor_ = nullptr;
  Txn* txn_ = nullptr;
};

}  // namespace sluice::storage
