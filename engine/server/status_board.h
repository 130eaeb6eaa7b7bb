#pragma once
// The latest status document (JSON text) published by the control thread once a second and read
// by workers for the built-in status page. A mutex guards only the pointer swap and copy: readers
// (one per /status request) and the once-a-second writer never hold it for more than that.
// (std::atomic<std::shared_ptr> in GCC 12's libstdc++ is reported by TSan; a plain mutex is as
// cheap here and unambiguous.)

#include <memory>
#include <mutex>
#include <string>

namespace sluice::server {

class StatusBoard {
 public:
  StatusBoard() : text_(std::make_shared<const std::string>("{}")) {}

  void publish(std::string json) {
    auto next = std::make_shared<const std::string>(std::move(json));
    std::lock_guard<std::mutex> lock(mutex_);
    text_.swap(next);
  }
  std::shared_ptr<const std::string> current() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return text_;
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const std::string> text_;
};

}  // namespace sluice::server
