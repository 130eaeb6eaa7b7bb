#pragma once
// Lock-free, allocation-free lookups for one thread (a worker).
//
// A Reader owns one LMDB read txn, kept reset between lookups (MDB_NOTLS: the reader slot belongs
// to the txn). get() renews it, looks the key up, and returns a ReadView that holds the snapshot
// until it is destroyed; the value is a view into the map, valid only while the ReadView lives.
// Keep a ReadView within one callback: DESIGN.md forbids holding a read txn across an async
// boundary, and a held snapshot stops LMDB from reusing the pages freed since. Lookups never wait
// for the writer (MVCC). A Reader keeps the environment alive but should still be destroyed
// before its CacheStore.

#include <lmdb.h>

#include <cstdint>
#include <memory>
#include <string_view>

#include "storage/lmdb_env.h"
#include "storage/lmdb_txn.h"

namespace sluice::storage {

class Reader;

class ReadView {
 public:
  ReadView() = default;
  ~ReadView() { release(); }
  ReadView(ReadView&& other) noexcept;
  ReadView& operator=(ReadView&& other) noexcept;
  ReadView(const ReadView&) = delete;
  ReadView& operator=(const ReadView&) = delete;

  bool found() const { return reader_ != nullptr; }
  std::string_view value() const { return value_; }      // points into the map
  uint64_t reclaimAt() const { return reclaim_at_ms_; }  // the put's reclaim_at_ms (0 = never)

 private:
  friend class Reader;
  ReadView(Reader* reader, std::string_view value, uint64_t reclaim_at_ms)
      : reader_(reader), value_(value), reclaim_at_ms_(reclaim_at_ms) {}
  void release();

  Reader* reader_ = nullptr;
  std::string_view value_;
  uint64_t reclaim_at_ms_ = 0;
};

class Reader {
 public:
  // Null with `error` set when LMDB has no reader slot left (see docs/cache-storage.md).
  static std::unique_ptr<Reader> create(std::shared_ptr<const Env> env, MDB_dbi entries, std::string& error);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // At most one live ReadView per Reader: destroy the previous one first.
  ReadView get(std::string_view key);

 private:
  friend class ReadView;
  Reader(std::shared_ptr<const Env> env, Txn txn, MDB_dbi entries);
  void finish();  // a ReadView let go of the snapshot

  std::shared_ptr<const Env> env_;  // outlives txn_
  Txn txn_;
  const MDB_dbi entries_;
  bool view_live_ = false;
};

}  // namespace sluice::storage
