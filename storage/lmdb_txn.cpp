#include "storage/lmdb_txn.h"

#include <cerrno>
#include <utility>

namespace sluice::storage {

Txn::Txn(Txn&& other) noexcept
    : txn_(std::exchange(other.txn_, nullptr)), error_(std::exchange(other.error_, 0)) {}

Txn& Txn::operator=(Txn&& other) noexcept {
  if (this != &other) {
    abort();
    txn_ = std::exchange(other.txn_, nullptr);
    error_ = std::exchange(other.error_, 0);
  }
  return *this;
}

int Txn::begin(MDB_env* env, unsigned flags) {
  abort();
  error_ = 0;
  return mdb_txn_begin(env, nullptr, flags, &txn_);
}

int Txn::commit() {
  if (txn_ == nullptr) {
    return EINVAL;
  }
  if (error_ != 0) {
    abort();
    return error_;
  }
  // mdb_txn_commit frees the txn whether or not it succeeds.
  return mdb_txn_commit(std::exchange(txn_, nullptr));
}

void Txn::abort() {
  if (txn_ != nullptr) {
    mdb_txn_abort(std::exchange(txn_, nullptr));
  }
}

int Txn::openDbi(const char* name, unsigned flags, MDB_dbi& out) {
  return mdb_dbi_open(txn_, name, flags, &out);
}

std::optional<std::string_view> Txn::get(MDB_dbi dbi, std::string_view key) {
  MDB_val k = toVal(key);
  MDB_val v{};
  if (!check(mdb_get(txn_, dbi, &k, &v))) {
    return std::nullopt;
  }
  return toView(v);
}

bool Txn::put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags) {
  MDB_val k = toVal(key);
  MDB_val v = toVal(value);
  return check(mdb_put(txn_, dbi, &k, &v, flags));
}

char* Txn::reserve(MDB_dbi dbi, std::string_view key, size_t size) {
  MDB_val k = toVal(key);
  MDB_val v{size, nullptr};
  if (!check(mdb_put(txn_, dbi, &k, &v, MDB_RESERVE))) {
    return nullptr;
  }
  return static_cast<char*>(v.mv_data);
}

bool Txn::del(MDB_dbi dbi, std::string_view key) {
  MDB_val k = toVal(key);
  return check(mdb_del(txn_, dbi, &k, nullptr));
}

bool Txn::del(MDB_dbi dbi, std::string_view key, std::string_view value) {
  MDB_val k = toVal(key);
  MDB_val v = toVal(value);
  return check(mdb_del(txn_, dbi, &k, &v));
}

bool Txn::clear(MDB_dbi dbi) {
  return check(mdb_drop(txn_, dbi, 0));
}

MDB_stat Txn::stat(MDB_dbi dbi) {
  MDB_stat stat{};
  check(mdb_stat(txn_, dbi, &stat));
  return stat;
}

void Txn::fail(int rc) {
  if (error_ == 0) {
    error_ = rc;
  }
}

bool Txn::check(int rc) {
  if (rc == 0) {
    return true;
  }
  if (rc != MDB_NOTFOUND) {
    fail(rc);
  }
  return false;
}

}  // namespace sluice::storage
