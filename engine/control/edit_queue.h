#pragma once
// Config changes one at a time: a job runs when the one before it has finished (its done() was
// called, at once or after thread-pool work), so each change starts from the config the previous
// one left. Bounded: at most `max_waiting` jobs wait behind the running one; submit() refuses more
// (the editor answers `conflict`). Loop thread only.

#include <cstddef>
#include <deque>
#include <functional>

namespace sluice::control {

class EditQueue {
 public:
  using Done = std::function<void()>;
  // Runs on the loop; must call `done` exactly once, now or later.
  using Job = std::function<void(Done done)>;

  static constexpr size_t kDefaultMaxWaiting = 16;

  explicit EditQueue(size_t max_waiting = kDefaultMaxWaiting) : max_waiting_(max_waiting) {}
  EditQueue(const EditQueue&) = delete;
  EditQueue& operator=(const EditQueue&) = delete;

  // Runs `job` now when nothing runs, else queues it. False (the job is dropped) when full.
  bool submit(Job job);
  // The same, never refused: for SIGHUP reloads, of which the caller queues at most one.
  void submitAlways(Job job);

  bool running() const { return running_; }
  size_t waiting() const { return waiting_.size(); }

 private:
  void pump();
  void finished();

  size_t max_waiting_;
  std::deque<Job> waiting_;
  bool running_ = false;
  bool pumping_ = false;  // a job that finishes at once does not start the next one recursively
};

}  // namespace sluice::control
