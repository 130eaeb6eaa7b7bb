#pragma once
// One uv_timer_t. Created on and used by one loop thread only. The owner calls close() instead of
// deleting: the object frees itself in the uv_close callback, and no callback fires after close().

#include <uv.h>

#include <cstdint>
#include <functional>

namespace sluice::core {

class Timer {
 public:
  using Callback = std::function<void()>;

  static Timer* create(uv_loop_t* loop, Callback callback);

  void start(uint64_t timeout_ms);            // (re)arms as a one-shot timer
  void startRepeating(uint64_t interval_ms);
  void stop();
  void close();                               // the pointer is dangling afterwards
  void unref() { uv_unref(reinterpret_cast<uv_handle_t*>(&handle_)); }
  bool active() const { return uv_is_active(reinterpret_cast<const uv_handle_t*>(&handle_)) != 0; }

 private:
  explicit Timer(Callback callback) : callback_(std::move(callback)) {}
  ~Timer() = default;

  uv_timer_t handle_{};
  Callback callback_;
};

}  // namespace sluice::core
