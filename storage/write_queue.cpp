#include "storage/write_queue.h"

#include "storage/clock.h"

namespace sluice::storage {

WriteQueue::WriteQueue(size_t max_pending_bytes, size_t max_touches)
    : max_pending_bytes_(max_pending_bytes), max_touches_(max_touches) {}

bool WriteQueue::push(WriteOp op, size_t bytes) {
  const uint64_t now = unixNowMs();
  {
    std::lock_guard lock(mutex_);
    if (std::holds_alternative<PutRequest>(op) && pending_bytes_ + bytes > max_pending_bytes_) {
      return false;
    }
    pending_bytes_ += bytes;
    ops_.push_back(QueuedOp{std::move(op), bytes, now});
    ++pushed_seq_;
  }
  work_.notify_one();
  return true;
}

bool WriteQueue::pushTouch(std::string_view key) {
  const uint64_t now = unixNowMs();
  {
    std::lock_guard lock(mutex_);
    if (touches_.size() >= max_touches_) {
      return false;
    }
    touches_.push_back(QueuedTouch{std::string(key), now});
  }
  work_.notify_one();
  return true;
}

uint64_t WriteQueue::pushBarrier() {
  uint64_t seq = 0;
  {
    std::lock_guard lock(mutex_);
    ops_.push_back(QueuedOp{BarrierOp{}, 0, 0});
    seq = ++pushed_seq_;
  }
  work_.notify_one();
  return seq;
}

bool WriteQueue::take(Batch& batch, const Limits& limits, std::chrono::steady_clock::time_point wake_at) {
  batch.ops.clear();
  batch.touches.clear();
  batch.bytes = 0;
  std::unique_lock lock(mutex_);
  work_.wait_until(lock, wake_at, [this] { return stopping_ || !ops_.empty() || !touches_.empty(); });
  while (!ops_.empty() && batch.ops.size() < limits.max_ops &&
         (batch.ops.empty() || batch.bytes + ops_.front().bytes <= limits.max_bytes)) {
    batch.bytes += ops_.front().bytes;
    batch.ops.push_back(std::move(ops_.front()));
    ops_.pop_front();
    ++taken_seq_;
  }
  batch.touches.swap(touches_);
  batch.last_seq = taken_seq_;
  return !(stopping_ && batch.empty());
}

void WriteQueue::release(const Batch& batch) {
  {
    std::lock_guard lock(mutex_);
    pending_bytes_ -= batch.bytes;
    processed_seq_ = batch.last_seq;
  }
  processed_.notify_all();
}

void WriteQueue::waitProcessed(uint64_t seq) {
  std::unique_lock lock(mutex_);
  processed_.wait(lock, [&] { return processed_seq_ >= seq; });
}

void WriteQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_.notify_one();
}

}  // namespace sluice::storage
