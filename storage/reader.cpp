#include "storage/reader.h"

#include <cassert>
#include <string>
#include <utility>

#include "storage/key_codec.h"
#include "storage/record.h"

namespace sluice::storage {

ReadView::ReadView(ReadView&& other) noexcept
    : reader_(std::exchange(other.reader_, nullptr)),
      value_(std::exchange(other.value_, {})),
      reclaim_at_ms_(other.reclaim_at_ms_) {}

ReadView& ReadView::operator=(ReadView&& other) noexcept {
  if (this != &other) {
    release();
    reader_ = std::exchange(other.reader_, nullptr);
    value_ = std::exchange(other.value_, {});
    reclaim_at_ms_ = other.reclaim_at_ms_;
  }
  return *this;
}

void ReadView::release() {
  if (reader_ != nullptr) {
    std::exchange(reader_, nullptr)->finish();
    value_ = {};
  }
}

std::unique_ptr<Reader> Reader::create(std::shared_ptr<const Env> env, MDB_dbi entries, std::string& error) {
  Txn txn;
  const int rc = txn.begin(env->handle(), MDB_RDONLY);
  if (rc != 0) {
    error = std::string("cannot start a cache reader: ") + mdb_strerror(rc);
    return nullptr;
  }
  txn.reset();  // holds the reader slot, not a snapshot
  return std::unique_ptr<Reader>(new Reader(std::move(env), std::move(txn), entries));
}

Reader::Reader(std::shared_ptr<const Env> env, Txn txn, MDB_dbi entries)
    : env_(std::move(env)), txn_(std::move(txn)), entries_(entries) {}

Reader::~Reader() {
  assert(!view_live_ && "a ReadView outlived its Reader");
}

ReadView Reader::get(std::string_view key) {
  assert(!view_live_ && "one live ReadView per Reader");
  if (!isValidKey(key) || txn_.renew() != 0) {
    return ReadView();
  }
  const StoredKey stored(key);
  MDB_val k = toVal(stored.view());
  MDB_val v{};
  if (mdb_get(txn_.handle(), entries_, &k, &v) == 0) {
    const auto record = parseRecord(toView(v));
    // A long key's stored form is a digest: the record's whole key decides.
    if (record && (!stored.isLong() || record->full_key == key)) {
      view_live_ = true;
      return ReadView(this, record->value, record->reclaim_at_ms);
    }
  }
  txn_.reset();
  return ReadView();
}

void Reader::finish() {
  txn_.reset();
  view_live_ = false;
}

}  // namespace sluice::storage
