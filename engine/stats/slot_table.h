#pragma once
// A fixed-capacity table of named metric slots with one writer thread and concurrent readers.
// The writer claims a slot by name (a linear scan: done once per config snapshot, not per request),
// constructs it, then publishes it with a release store of the size; a reader that loads the size
// with acquire sees only complete slots. Slots are never removed, so counters stay monotonic across
// config reloads. At capacity, every further name shares one last slot named "_overflow".

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace sluice::stats {

inline constexpr std::string_view kOverflowSlotName = "_overflow";

template <typename T, size_t Capacity>
class SlotTable {
  static_assert(Capacity >= 2);

 public:
  // Writer thread only. Never returns null.
  T* claim(std::string_view name) {
    const size_t n = size_.load(std::memory_order_relaxed);
    for (size_t i = 0; i < n; ++i) {
      if (slots_[i]->name == name) {
        return slots_[i].get();
      }
    }
    if (n + 1 < Capacity) {
      return publish(n, name);
    }
    if (n + 1 == Capacity) {
      return publish(n, kOverflowSlotName);
    }
    return slots_[Capacity - 1].get();
  }

  // Any thread.
  size_t size() const { return size_.load(std::memory_order_acquire); }
  // Any thread, for index < a value returned by size().
  const T& at(size_t index) const { return *slots_[index]; }

  static constexpr size_t capacity() { return Capacity; }

 private:
  T* publish(size_t index, std::string_view name) {
    slots_[index] = std::make_unique<T>(std::string(name));
    size_.store(index + 1, std::memory_order_release);
    return slots_[index].get();
  }

  std::array<std::unique_ptr<T>, Capacity> slots_;
  std::atomic<size_t> size_{0};
};

}  // namespace sluice::stats
