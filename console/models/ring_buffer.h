#pragma once
// A fixed-capacity ring: push() past the capacity overwrites the oldest element. at(0) is the oldest.
// Used for the time series of the store and of the charts, so 15 minutes at 1 Hz never grow past
// their bound however long the console runs. Plain value class.

#include <QList>
#include <algorithm>

namespace sluice::console {

template <typename T>
class RingBuffer {
 public:
  explicit RingBuffer(int capacity = 0) : data_(std::max(capacity, 1)), capacity_(std::max(capacity, 1)) {}

  void push(const T& value) {
    data_[(start_ + size_) % capacity_] = value;
    if (size_ < capacity_) {
      ++size_;
    } else {
      start_ = (start_ + 1) % capacity_;
    }
  }
  const T& at(int i) const { return data_[(start_ + i) % capacity_]; }
  const T& back() const { return at(size_ - 1); }
  int size() const { return size_; }
  int capacity() const { return capacity_; }
  bool isEmpty() const { return size_ == 0; }
  void clear() {
    start_ = 0;
    size_ = 0;
  }

 private:
  QList<T> data_;
  int capacity_;
  int start_ = 0;
  int size_ = 0;
};

}  // namespace sluice::console
