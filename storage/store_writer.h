#pragma once
// The writer thread, the only thread that writes the environment. It takes batches from the
// WriteQueue (up to kMaxBatchOps ops or a byte budget), applies puts, erases and touches in one
// txn per batch (segment_writer.h), runs purges in chunks of their own txns in queue order, and
// reclaims expired entries every reclaim_interval_ms. With sync on, each commit fsyncs here, never
// on a caller's thread. The destructor stops it after everything queued is done.

#include <span>
#include <thread>

#include "storage/purge.h"
#include "storage/write_queue.h"
#include "storage/writer_core.h"

namespace sluice::storage {

class StoreWriter {
 public:
  StoreWriter(Env& env, const Dbis& dbis, const StoreOptions& options, WriteQueue& queue,
              StoreCounters& counters, const Accounting& committed);
  ~StoreWriter();
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

 private:
  void run();
  void process(Batch& batch);
  void runPurge(PurgeOp& op);
  uint64_t purgeInChunks(Purge& purge);
  bool reclaimStep();  // true when expired entries are left over

  WriterCore core_;
  WriteQueue& queue_;
  const WriteQueue::Limits limits_;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace sluice::storage
