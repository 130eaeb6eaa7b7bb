#pragma once
// The queue between callers (any thread) and the writer thread. Pushing takes a short mutex and
// never waits on I/O; puts beyond max_pending_bytes (queued plus taken-but-uncommitted) are refused.
// Touches are kept apart, bounded by count, and taken whole with every batch.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "storage/store_options.h"

namespace sluice::storage {

struct EraseOp {
  std::string key;
};

struct PurgeOp {
  enum class Kind { Prefix, Tag, All };
  Kind kind = Kind::All;
  std::string arg;
  std::function<void(uint64_t)> done;
};

struct BarrierOp {};  // processed in order, so flush() knows everything before it is committed

using WriteOp = std::variant<PutRequest, EraseOp, PurgeOp, BarrierOp>;

// Puts and touches carry the time they were queued: that, not the time the writer gets to them, is
// their place in the access order, so a backlog does not reorder hits and stores.
struct QueuedOp {
  WriteOp op;
  size_t bytes = 0;  // counted against max_pending_bytes until the writer releases it
  uint64_t at_ms = 0;
};

struct QueuedTouch {
  std::string key;
  uint64_t at_ms = 0;
};

struct Batch {
  std::vector<QueuedOp> ops;
  std::vector<QueuedTouch> touches;
  size_t bytes = 0;
  uint64_t last_seq = 0;
  bool empty() const { return ops.empty() && touches.empty(); }
};

class WriteQueue {
 public:
  struct Limits {
    size_t max_ops;
    size_t max_bytes;  // a batch takes at least one op whatever its size
  };

  WriteQueue(size_t max_pending_bytes, size_t max_touches);

  // Puts are refused (false) when they would pass max_pending_bytes; other ops always go in.
  bool push(WriteOp op, size_t bytes);
  bool pushTouch(std::string_view key);  // false when the touch queue is full
  uint64_t pushBarrier();                // its sequence number, for waitProcessed()

  // Writer: waits for work, stop() or `wake_at`, then moves up to `limits` into `batch` (cleared
  // first). Returns false once stopped with nothing left.
  bool take(Batch& batch, const Limits& limits, std::chrono::steady_clock::time_point wake_at);
  // Writer, after processing `batch`: releases its bytes and wakes flush() callers.
  void release(const Batch& batch);
  void waitProcessed(uint64_t seq);
  void stop();

 private:
  const size_t max_pending_bytes_;
  const size_t max_touches_;
  std::mutex mutex_;
  std::condition_variable work_;
  std::condition_variable processed_;
  std::deque<QueuedOp> ops_;          // guarded by mutex_
  std::vector<QueuedTouch> touches_;  // guarded
  size_t pending_bytes_ = 0;          // guarded: queued plus taken-but-unreleased
  uint64_t pushed_seq_ = 0;           // guarded: ops pushed so far
  uint64_t taken_seq_ = 0;            // guarded
  uint64_t processed_seq_ = 0;        // guarded
  bool stopping_ = false;             // guarded
};

}  // namespace sluice::storage
