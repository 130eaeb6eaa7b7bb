#pragma once
// Request coalescing across workers. The first miss for a cache key leads: it fetches from the
// origin. Misses for the same key that arrive while that fetch runs wait for its outcome instead of
// fetching too; each waiter is told on its own worker's loop (through that worker's TaskQueue).
// One mutex guards the table; it is held only to join, leave or complete, never across I/O.
// Size: one flight per key being fetched, one waiter per waiting request (both bounded by the
// connection limit).

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/core/task_queue.h"

namespace sluice::filters::cache {

// What a leader hands its waiters: the record it stored and the key it stored it under (with Vary,
// the leader's variant, which a waiter compares with its own).
struct FlightResult {
  std::string key;
  std::string record;
};
using FlightResultPtr = std::shared_ptr<const FlightResult>;

enum class FlightOutcome {
  Stored,       // `result` holds the new entry: serve it
  Uncacheable,  // the response may not be shared: every waiter fetches for itself, now
  Aborted,      // the leader gave up (client gone, upstream failed): join again
};

class FlightTable {
 public:
  // Runs on the waiter's loop thread.
  using Notify = std::function<void(FlightOutcome outcome, const FlightResultPtr& result)>;

  // True: the caller leads the fetch for `key` and must call complete() exactly once.
  // False: the caller waits; `notify` is posted to `queue` when the leader completes, unless the
  // caller leave()s first with the returned `waiter_id`.
  bool join(const std::string& key, const core::TaskQueuePtr& queue, Notify notify, uint64_t& waiter_id);
  void leave(const std::string& key, uint64_t waiter_id);
  void complete(const std::string& key, FlightOutcome outcome, FlightResultPtr result);

  size_t flights() const;

 private:
  struct Waiter {
    uint64_t id;
    core::TaskQueuePtr queue;
    Notify notify;
  };
  struct Flight {
    std::vector<Waiter> waiters;
  };

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Flight> flights_;
  uint64_t next_waiter_ = 1;
};

}  // namespace sluice::filters::cache
