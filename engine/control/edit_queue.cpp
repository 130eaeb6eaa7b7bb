#include "engine/control/edit_queue.h"

namespace sluice::control {

bool EditQueue::submit(Job job) {
  if (running_ && waiting_.size() >= max_waiting_) {
    return false;
  }
  submitAlways(std::move(job));
  return true;
}

void EditQueue::submitAlways(Job job) {
  waiting_.push_back(std::move(job));
  pump();
}

void EditQueue::pump() {
  if (pumping_) {
    return;
  }
  pumping_ = true;
  while (!running_ && !waiting_.empty()) {
    Job job = std::move(waiting_.front());
    waiting_.pop_front();
    running_ = true;
    job([this] { finished(); });
  }
  pumping_ = false;
}

void EditQueue::finished() {
  running_ = false;
  pump();
}

}  // namespace sluice::control
