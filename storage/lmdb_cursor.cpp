#include "storage/lmdb_cursor.h"

#include <utility>

namespace sluice::storage {

Cursor::Cursor(Cursor&& other) noexcept
    : cursor_(std::exchange(other.cursor_, nullptr)), txn_(std::exchange(other.txn_, nullptr)) {}

Cursor& Cursor::operator=(Cursor&& other) noexcept {
  if (this != &other) {
    close();
    cursor_ = std::exchange(other.cursor_, nullptr);
    txn_ = std::exchange(other.txn_, nullptr);
  }
  return *this;
}

int Cursor::open(Txn& txn, MDB_dbi dbi) {
  close();
  const int rc = mdb_cursor_open(txn.handle(), dbi, &cursor_);
  if (rc != 0) {
    cursor_ = nullptr;
    txn.fail(rc);
    return rc;
  }
  txn_ = &txn;
  return 0;
}

void Cursor::close() {
  if (cursor_ != nullptr) {
    mdb_cursor_close(std::exchange(cursor_, nullptr));
  }
  txn_ = nullptr;
}

std::optional<KeyValue> Cursor::get(MDB_cursor_op op) {
  MDB_val key{};
  MDB_val value{};
  return finish(mdb_cursor_get(cursor_, &key, &value, op), key, value);
}

std::optional<KeyValue> Cursor::seek(MDB_cursor_op op, std::string_view key, std::string_view value) {
  MDB_val k = toVal(key);
  MDB_val v = toVal(value);
  return finish(mdb_cursor_get(cursor_, &k, &v, op), k, v);
}

std::optional<KeyValue> Cursor::finish(int rc, const MDB_val& key, const MDB_val& value) {
  if (rc == 0) {
    return KeyValue{toView(key), toView(value)};
  }
  if (rc != MDB_NOTFOUND) {
    txn_->fail(rc);
  }
  return std::nullopt;
}

}  // namespace sluice::storage
