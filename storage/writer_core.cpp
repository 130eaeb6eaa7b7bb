#include "storage/writer_core.h"

#include <algorithm>

#include "storage/key_codec.h"
#include "storage/record.h"

namespace sluice::storage {
namespace {

// Entries evicted per txn at most: one txn stays small even when a put of max_size/8 arrives.
constexpr uint64_t kMaxEvictionsPerTxn = 20000;

}  // namespace

WriterCore::WriterCore(Env& env, const Dbis& dbis, const StoreOptions& options, StoreCounters& counters,
                       const Accounting& committed)
    : env_(env),
      table_(dbis),
      options_(options),
      counters_(counters),
      committed_(committed),
      page_size_(env.pageSize()),
      marks_(watermarksFor(env.mapSize())) {}

int WriterCore::begin(Txn& txn, Accounting& acct) {
  acct = committed_;
  return txn.begin(env_.handle(), 0);
}

int WriterCore::commit(Txn& txn, const Accounting& acct) {
  storeAccounting(txn, table_.dbis(), acct);
  const uint64_t used = usedBytes(txn, table_.dbis(), acct, page_size_);
  const int rc = txn.commit();
  if (rc != 0) {
    return rc;
  }
  committed_ = acct;
  constexpr auto r = std::memory_order_relaxed;
  counters_.entries.store(acct.entries, r);
  counters_.bytes.store(acct.bytes, r);
  counters_.used_bytes.store(used, r);
  counters_.write_batches.fetch_add(1, r);
  return 0;
}

uint64_t WriterCore::makeRoom(Txn& txn, Accounting& acct, uint64_t incoming) {
  if (usedBytes(txn, table_.dbis(), acct, page_size_) + incoming <= marks_.high) {
    return 0;
  }
  const uint64_t target = marks_.low > incoming ? marks_.low - incoming : 0;
  return evictOldest(txn, table_, acct, target, page_size_, kMaxEvictionsPerTxn);
}

bool WriterCore::recoverFromMapFull(uint64_t incoming) {
  Txn txn;
  Accounting acct;
  if (begin(txn, acct) != 0) {
    return false;
  }
  // Below the low-water mark by the batch's size once more: the last attempt already failed there.
  const uint64_t used = usedBytes(txn, table_.dbis(), acct, page_size_);
  const uint64_t margin = std::max<uint64_t>(incoming, marks_.high - marks_.low);
  const uint64_t target = std::min(used, marks_.low) > margin ? std::min(used, marks_.low) - margin : 0;
  const uint64_t evicted = evictOldest(txn, table_, acct, target, page_size_, kMaxEvictionsPerTxn);
  if (commit(txn, acct) != 0) {
    return false;
  }
  counters_.add(counters_.evictions, evicted);
  Txn bump;  // an unchanged accounting row, written again: a real commit that advances the txn id
  return begin(bump, acct) == 0 && commit(bump, acct) == 0;
}

uint64_t WriterCore::estimateBytes(const PutRequest& request) const {
  const size_t key = storedKeySize(request.key.size());
  const size_t record = recordSize(key > kDirectKeyMax ? request.key.size() : 0, tagsBlockSize(request.tags),
                                   request.value.size());
  if (record > page_size_ / 2) {
    return (record + 16 + page_size_ - 1) / page_size_ * page_size_;  // its own run of overflow pages
  }
  return 2 * (key + record + 16);  // leaf pages run about half full
}

}  // namespace sluice::storage
