#pragma once
// Work handed to one loop from any thread: post() queues a task and wakes the loop, which runs the
// queued tasks in order. Used for cross-worker completions (cache request coalescing) and for
// answers coming back from the cache writer thread. Shared ownership, because posting threads may
// outlive the loop: after close() (on the loop's thread) posts are dropped.

#include <uv.h>

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/core/async_signal.h"

namespace sluice::core {

class TaskQueue {
 public:
  using Task = std::function<void()>;

  // Loop thread. The queue stays usable until close().
  static std::shared_ptr<TaskQueue> create(uv_loop_t* loop);
  ~TaskQueue();
  TaskQueue(const TaskQueue&) = delete;
  TaskQueue& operator=(const TaskQueue&) = delete;

  // Any thread. False when the queue is closed (the task is dropped).
  bool post(Task task);
  // Loop thread: stop waking the loop; queued tasks are dropped.
  void close();

 private:
  TaskQueue() = default;
  void runQueued();

  std::mutex mutex_;
  std::vector<Task> tasks_;     // guarded by mutex_
  AsyncSignal* signal_ = nullptr;  // guarded by mutex_; null once closed
};

using TaskQueuePtr = std::shared_ptr<TaskQueue>;

}  // namespace sluice::core
