#include "storage/cache_store.h"

#include <algorithm>

#include "storage/clock.h"
#include "storage/key_codec.h"
#include "storage/lmdb_cursor.h"
#include "storage/make_directories.h"
#include "storage/record.h"
#include "storage/store_writer.h"
#include "storage/verify.h"

namespace sluice::storage {
namespace {

constexpr uint64_t kMinMapSize = 1u << 20;
constexpr unsigned kMaxReaders = 1024;  // one per Reader (worker) plus verify/forEach; 64 B each
constexpr size_t kMaxQueuedTouches = 65536;
constexpr size_t kOpOverhead = 64;  // what a queued op costs beyond its strings, roughly

// Sorted, unique, no empties: the entry table and verify() rely on it.
bool normaliseTags(std::vector<std::string>& tags) {
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  tags.erase(std::remove(tags.begin(), tags.end(), std::string()), tags.end());
  return std::all_of(tags.begin(), tags.end(), [](const std::string& tag) { return isValidKey(tag); });
}

}  // namespace

std::unique_ptr<CacheStore> CacheStore::open(const StoreOptions& options, std::string& error) {
  if (options.path.empty()) {
    error = "the cache path is empty";
    return nullptr;
  }
  if (options.max_size < kMinMapSize) {
    error = "the cache max_size is below 1 MiB";
    return nullptr;
  }
  if (!makeDirectories(options.path, 0700, error)) {
    return nullptr;
  }
  auto env = std::make_shared<Env>();
  EnvOptions env_options;
  env_options.map_size = options.max_size / 4096 * 4096;  // a whole number of pages
  env_options.max_dbs = kMaxDbs;
  env_options.max_readers = kMaxReaders;
  env_options.flags = MDB_NOTLS | MDB_NORDAHEAD | (options.sync ? 0u : unsigned{MDB_NOSYNC});
  if (const int rc = env->open(options.path, env_options); rc != 0) {
    error = "cannot open the cache at " + options.path + ": " + mdb_strerror(rc);
    return nullptr;
  }
  int dead = 0;
  mdb_reader_check(env->handle(), &dead);  // slots left by a process that died holding them
  Dbis dbis;
  Accounting acct;
  if (!openSchema(*env, dbis, acct, error)) {
    error = options.path + ": " + error;
    return nullptr;
  }
  return std::unique_ptr<CacheStore>(new CacheStore(options, std::move(env), dbis, acct));
}

CacheStore::CacheStore(const StoreOptions& options, std::shared_ptr<Env> env, const Dbis& dbis,
                       const Accounting& acct)
    : options_(options),
      env_(std::move(env)),
      dbis_(dbis),
      max_record_bytes_(env_->mapSize() / 8),
      queue_(options.max_pending_bytes, kMaxQueuedTouches),
      touch_filter_(options.touch_granularity_ms) {
  counters_.entries.store(acct.entries);
  counters_.bytes.store(acct.bytes);
  counters_.max_size.store(env_->mapSize());
  writer_ = std::make_unique<StoreWriter>(*env_, dbis_, options_, queue_, counters_, acct);
}

CacheStore::~CacheStore() {
  writer_.reset();
}

std::unique_ptr<Reader> CacheStore::reader() {
  std::string error;
  return Reader::create(env_, dbis_.entries, error);
}

bool CacheStore::put(PutRequest request) {
  const bool valid = isValidKey(request.key) && normaliseTags(request.tags);
  const size_t stored_key = storedKeySize(request.key.size());
  const size_t record = recordSize(stored_key > kDirectKeyMax ? request.key.size() : 0,
                                   tagsBlockSize(request.tags), request.value.size());
  const size_t bytes = request.key.size() + request.value.size() + tagsBlockSize(request.tags) + kOpOverhead;
  if (!valid || stored_key + record > max_record_bytes_ || !queue_.push(std::move(request), bytes)) {
    counters_.add(counters_.dropped, 1);
    return false;
  }
  return true;
}

void CacheStore::erase(std::string key) {
  if (isValidKey(key)) {
    const size_t bytes = key.size() + kOpOverhead;
    queue_.push(EraseOp{std::move(key)}, bytes);
  }
}

void CacheStore::touch(std::string_view key) {
  if (isValidKey(key) && touch_filter_.admit(key, unixNowMs())) {
    queue_.pushTouch(key);
  }
}

void CacheStore::purgePrefix(std::string prefix, std::function<void(uint64_t)> done) {
  queue_.push(PurgeOp{PurgeOp::Kind::Prefix, std::move(prefix), std::move(done)}, kOpOverhead);
}

void CacheStore::purgeTag(std::string tag, std::function<void(uint64_t)> done) {
  queue_.push(PurgeOp{PurgeOp::Kind::Tag, std::move(tag), std::move(done)}, kOpOverhead);
}

void CacheStore::purgeAll(std::function<void(uint64_t)> done) {
  queue_.push(PurgeOp{PurgeOp::Kind::All, {}, std::move(done)}, kOpOverhead);
}

void CacheStore::flush() {
  queue_.waitProcessed(queue_.pushBarrier());
}

std::string CacheStore::verify() {
  return verifyStore(*env_, dbis_);
}

uint64_t CacheStore::forEach(const std::function<void(std::string_view key, std::string_view value)>& visit) {
  Txn txn;
  if (txn.begin(env_->handle(), MDB_RDONLY) != 0) {
    return 0;
  }
  Cursor cursor;
  if (cursor.open(txn, dbis_.entries) != 0) {
    return 0;
  }
  uint64_t count = 0;
  for (auto row = cursor.get(MDB_FIRST); row; row = cursor.get(MDB_NEXT)) {
    const auto record = parseRecord(row->value);
    if (record) {
      visit(isLongStoredKey(row->key) ? record->full_key : row->key, record->value);
      ++count;
    }
  }
  return count;
}

}  // namespace sluice::storage
