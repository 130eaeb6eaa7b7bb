#pragma once
// A move-only LMDB transaction, aborted on destruction unless committed.
//
// Errors are sticky, as LMDB's own are (a failed write leaves the txn unusable): the first failure
// of get/put/del is kept in error(), and commit() then aborts and returns it, so a write path runs
// its steps and checks once. MDB_NOTFOUND is a normal result (an empty optional, or false from
// del()), never an error. A view from get() points into the map or into this txn's dirty pages: it
// dies with the txn, and in a write txn with the next write, so copy what you keep.

#include <lmdb.h>

#include <cstddef>
#include <optional>
#include <string_view>

namespace sluice::storage {

inline MDB_val toVal(std::string_view s) {
  return MDB_val{s.size(), const_cast<char*>(s.data())};
}
inline std::string_view toView(const MDB_val& v) {
  return std::string_view(static_cast<const char*>(v.mv_data), v.mv_size);
}

class Txn {
 public:
  Txn() = default;
  ~Txn() { abort(); }
  Txn(Txn&& other) noexcept;
  Txn& operator=(Txn&& other) noexcept;
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;

  // flags: 0 for a write txn, MDB_RDONLY for a read txn. 0 or an LMDB code.
  [[nodiscard]] int begin(MDB_env* env, unsigned flags);
  // The sticky error if there is one (the txn is aborted), else mdb_txn_commit's result. Either
  // way the txn is finished.
  [[nodiscard]] int commit();
  void abort();
  // Read txns only: reset() drops the snapshot but keeps the reader slot (MDB_NOTLS ties it to the
  // txn, not the thread); renew() takes the newest snapshot again.
  void reset() { mdb_txn_reset(txn_); }
  [[nodiscard]] int renew() { return mdb_txn_renew(txn_); }

  [[nodiscard]] int openDbi(const char* name, unsigned flags, MDB_dbi& out);
  std::optional<std::string_view> get(MDB_dbi dbi, std::string_view key);
  bool put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags = 0);
  // Makes room for a `size`-byte value under `key` and returns where to write it (null on error):
  // the caller fills it before the next write, saving a copy of large values.
  char* reserve(MDB_dbi dbi, std::string_view key, size_t size);
  bool del(MDB_dbi dbi, std::string_view key);                          // false when absent
  bool del(MDB_dbi dbi, std::string_view key, std::string_view value);  // one MDB_DUPSORT item
  bool clear(MDB_dbi dbi);                                              // empties the database
  MDB_stat stat(MDB_dbi dbi);

  // Records an error found outside LMDB (e.g. a cursor's, or a corrupt record): commit() refuses.
  void fail(int rc);
  bool failed() const { return error_ != 0; }
  int error() const { return error_; }
  MDB_txn* handle() const { return txn_; }
  explicit operator bool() const { return txn_ != nullptr; }

 private:
  // 0 → true; MDB_NOTFOUND → false; anything else is recorded → false.
  bool check(int rc);

  MDB_txn* txn_ = nullptr;
  int error_ = 0;
};

}  // namespace sluice::storage
