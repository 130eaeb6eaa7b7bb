#pragma once
// One listening socket on one loop, opened from a file descriptor that the control thread bound
// (each worker has its own SO_REUSEPORT socket per listener). Closed with close(), freed in its
// uv_close callback.

#include <uv.h>

#include <functional>
#include <string>

namespace sluice::server {

class Listener {
 public:
  using AcceptCallback = std::function<void(uv_stream_t* server)>;

  // Null (and `error` set) when the descriptor cannot be used.
  static Listener* open(uv_loop_t* loop, int fd, std::string name, AcceptCallback on_accept, std::string& error);

  const std::string& name() const { return name_; }
  void close();

 private:
  Listener(std::string name, AcceptCallback on_accept) : name_(std::move(name)), on_accept_(std::move(on_accept)) {}
  ~Listener() = default;

  uv_tcp_t handle_{};
  std::string name_;
  AcceptCallback on_accept_;
};

}  // namespace sluice::server
