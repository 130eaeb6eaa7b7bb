#include "engine/core/task_queue.h"

namespace sluice::core {

std::shared_ptr<TaskQueue> TaskQueue::create(uv_loop_t* loop) {
  std::shared_ptr<TaskQueue> queue(new TaskQueue());
  // The signal's callback only runs on the loop before close(), while the owner holds the queue.
  TaskQueue* raw = queue.get();
  queue->signal_ = AsyncSignal::create(loop, [raw] { raw->runQueued(); });
  return queue;
}

TaskQueue::~TaskQueue() = default;

bool TaskQueue::post(Task task) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (signal_ == nullptr) {
    return false;
  }
  tasks_.push_back(std::move(task));
  signal_->notify();
  return true;
}

void TaskQueue::close() {
  std::vector<Task> dropped;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (signal_ == nullptr) {
      return;
    }
    signal_->close();
    signal_ = nullptr;
    dropped.swap(tasks_);
  }
}

void TaskQueue::runQueued() {
  std::vector<Task> batch;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    batch.swap(tasks_);
  }
  for (Task& task : batch) {
    task();
  }
}

}  // namespace sluice::core
