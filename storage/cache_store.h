#pragma once
// The response cache's storage: one LMDB environment under StoreOptions::path, opaque keys and
// values, and no HTTP knowledge (docs/cache-storage.md).
//
// Threads: reads go through per-thread Readers (reader.h) and never wait for writes. put, erase,
// touch and the purges may be called from any thread; they queue work for the one writer thread
// (store_writer.h) under a short mutex and never wait on I/O. flush() and verify() block and are for
// tests, tools and shutdown, never for an event loop. stats() reads atomics.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "storage/lmdb_env.h"
#include "storage/reader.h"
#include "storage/store_counters.h"
#include "storage/store_options.h"
#include "storage/store_schema.h"
#include "storage/touch_filter.h"
#include "storage/write_queue.h"

namespace sluice::storage {

class StoreWriter;

class CacheStore {
 public:
  // Null with `error` set when the directory or the environment cannot be opened.
  static std::unique_ptr<CacheStore> open(const StoreOptions& options, std::string& error);
  // Commits what is queued, stops the writer thread, closes the environment (once the last Reader
  // is gone: destroy them first).
  ~CacheStore();
  CacheStore(const CacheStore&) = delete;
  CacheStore& operator=(const CacheStore&) = delete;

  // Any thread; use the Reader on one thread at a time. Null when LMDB's reader table is full.
  std::unique_ptr<Reader> reader();

  // false: dropped and counted (queue over max_pending_bytes, record over max_size/8, key or a tag
  // empty or over 16 KiB).
  bool put(PutRequest request);
  void erase(std::string key);  // exact key
  // Records a hit for the eviction order: best effort, cheap (see touch_filter.h), may drop.
  void touch(std::string_view key);
  // Run on the writer thread in queue order; `done` is called there with the number of entries
  // removed (keep it short, e.g. post to a loop; it must not call flush()). Prefix: every key
  // starting with `prefix` ("" is every key, in chunks).
  void purgePrefix(std::string prefix, std::function<void(uint64_t)> done);
  void purgeTag(std::string tag, std::function<void(uint64_t)> done);
  void purgeAll(std::function<void(uint64_t)> done);
  // Blocks until everything queued so far (touches included) is committed. Not on a loop, and not
  // from a purge's `done` (the writer thread would wait for itself).
  void flush();

  StoreStats stats() const { return counters_.snapshot(); }
  // "" when the indexes, the entries and the accounting agree (verify.h).
  std::string verify();
  // Calls visit(key, value) for every entry of one snapshot, in stored-key order; returns the count.
  // Holds a read txn throughout: tests and tools only.
  uint64_t forEach(const std::function<void(std::string_view key, std::string_view value)>& visit);

 private:
  CacheStore(const StoreOptions& options, std::shared_ptr<Env> env, const Dbis& dbis, const Accounting& acct);

  const StoreOptions options_;
  const std::shared_ptr<Env> env_;
  const Dbis dbis_;
  const uint64_t max_record_bytes_;
  StoreCounters counters_;
  WriteQueue queue_;
  TouchFilter touch_filter_;
  std::unique_ptr<StoreWriter> writer_;  // last: its thread uses everything above
};

using CacheStorePtr = std::unique_ptr<CacheStore>;

}  // namespace sluice::storage
