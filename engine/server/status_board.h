#pragma once
// The latest status document (JSON text) published by the control thread once a second and read
// by workers for the built-in status page. Publishing swaps an atomic shared_ptr; readers never
// block the publisher.

#include <atomic>
#include <memory>
#include <string>

namespace sluice::server {

class StatusBoard {
 public:
  StatusBoard() : text_(std::make_shared<const std::string>("{}")) {}

  void publish(std::string json) { text_.store(std::make_shared<const std::string>(std::move(json))); }
  std::shared_ptr<const std::string> current() const { return text_.load(); }

 private:
  std::atomic<std::shared_ptr<const std::string>> text_;
};

}  // namespace sluice::server
