#include "engine/filters/cache/pending_writes.h"

namespace sluice::filters::cache {

void PendingWrites::add(const FlightResultPtr& entry) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(entry->key);
  if (it != entries_.end()) {
    bytes_ -= it->second->record.size();
    entries_.erase(it);
  }
  entries_.emplace(entry->key, entry);
  order_.push_back(entry);
  bytes_ += entry->record.size();
  // Over the bound: drop the oldest still listed (a dropped one just costs a miss later).
  while (bytes_ > kMaxBytes && !order_.empty()) {
    FlightResultPtr oldest = std::move(order_.front());
    order_.pop_front();
    auto at = entries_.find(oldest->key);
    if (at != entries_.end() && at->second == oldest) {
      bytes_ -= oldest->record.size();
      entries_.erase(at);
    }
  }
  trimSettled();
}

void PendingWrites::settled(const FlightResult* entry) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(entry->key);
  if (it != entries_.end() && it->second.get() == entry) {
    bytes_ -= entry->record.size();
    entries_.erase(it);
  }
  trimSettled();
}

// Puts commit in queue order, so settled entries collect at the front of `order_`.
void PendingWrites::trimSettled() {
  while (!order_.empty()) {
    auto at = entries_.find(order_.front()->key);
    if (at != entries_.end() && at->second == order_.front()) {
      break;
    }
    order_.pop_front();
  }
}

FlightResultPtr PendingWrites::find(std::string_view key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : it->second;
}

void PendingWrites::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.clear();
  order_.clear();
  bytes_ = 0;
}

void PendingWrites::beginInvalidation(const std::string& prefix) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (invalidations_.size() < kMaxInvalidations) {
    invalidations_.push_back(prefix);
    invalidation_count_.store(invalidations_.size(), std::memory_order_relaxed);
  }
}

void PendingWrites::endInvalidation(const std::string& prefix) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = invalidations_.begin(); it != invalidations_.end(); ++it) {
    if (*it == prefix) {
      invalidations_.erase(it);
      break;
    }
  }
  invalidation_count_.store(invalidations_.size(), std::memory_order_relaxed);
}

bool PendingWrites::invalidated(std::string_view key) const {
  if (invalidation_count_.load(std::memory_order_relaxed) == 0) {
    return false;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (const std::string& prefix : invalidations_) {
    if (key.starts_with(prefix)) {
      return true;
    }
  }
  return false;
}

}  // namespace sluice::filters::cache
