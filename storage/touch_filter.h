#pragma once
// Keeps hot keys from flooding the touch queue: a key is handed on at most about once per window
// (the touch granularity), decided with a hash and one relaxed atomic, without a lock or a copy.
// Slots are shared by hash, so a collision only costs an extra queued touch, which the writer
// ignores if the entry moved recently.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

namespace sluice::storage {

class TouchFilter {
 public:
  explicit TouchFilter(uint64_t window_ms) : window_ms_(window_ms) {}

  // True when `key` was not already passed on in the current window.
  bool admit(std::string_view key, uint64_t now_ms) {
    if (window_ms_ == 0) {
      return true;
    }
    const uint64_t hash = std::hash<std::string_view>{}(key);
    const uint64_t word = (hash & 0xffffffff00000000ull) | ((now_ms / window_ms_) & 0xffffffffull);
    std::atomic<uint64_t>& slot = slots_[hash % kSlots];
    if (slot.load(std::memory_order_relaxed) == word) {
      return false;
    }
    slot.store(word, std::memory_order_relaxed);
    return true;
  }

 private:
  static constexpr size_t kSlots = 8192;

  const uint64_t window_ms_;
  std::array<std::atomic<uint64_t>, kSlots> slots_{};
};

}  // namespace sluice::storage
