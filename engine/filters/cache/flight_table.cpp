#include "engine/filters/cache/flight_table.h"

namespace sluice::filters::cache {

bool FlightTable::join(const std::string& key, const core::TaskQueuePtr& queue, Notify notify,
                       uint64_t& waiter_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, inserted] = flights_.try_emplace(key);
  if (inserted) {
    waiter_id = 0;
    return true;
  }
  waiter_id = next_waiter_++;
  it->second.waiters.push_back({waiter_id, queue, std::move(notify)});
  return false;
}

void FlightTable::leave(const std::string& key, uint64_t waiter_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = flights_.find(key);
  if (it == flights_.end()) {
    return;
  }
  std::vector<Waiter>& waiters = it->second.waiters;
  for (auto w = waiters.begin(); w != waiters.end(); ++w) {
    if (w->id == waiter_id) {
      waiters.erase(w);
      return;
    }
  }
}

void FlightTable::complete(const std::string& key, FlightOutcome outcome, FlightResultPtr result) {
  std::vector<Waiter> waiters;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = flights_.find(key);
    if (it == flights_.end()) {
      return;
    }
    waiters.swap(it->second.waiters);
    flights_.erase(it);
  }
  for (Waiter& w : waiters) {
    // A closed queue (worker stopping) drops the task; its waiter is gone with the worker.
    w.queue->post([notify = std::move(w.notify), outcome, result] { notify(outcome, result); });
  }
}

size_t FlightTable::flights() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return flights_.size();
}

}  // namespace sluice::filters::cache
