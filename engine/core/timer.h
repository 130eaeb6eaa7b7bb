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
  // Like start(), but cheap when called often (per request): when the timer is already due no
  // later than the new deadline it is left alone and re-armed for the rest when it fires.
  void setDeadline(uint64_t timeout_ms);
  void startRepeating(uint64_t interval_ms);
  void stop();
  void close();                               // the pointer is dangling afterwards
  void unref() { uv_unref(reinterpret_cast<uv_handle_t*>(&handle_)); }
  bool active() const { return uv_is_active(reinterpret_cast<const uv_handle_t*>(&handle_)) != 0; }

 private:
  explicit Timer(Callback callback) : callback_(std::move(callback)) {}
  ~Timer() = default;
  static void onFire(uv_timer_t* handle);

  uv_timer_t handle_{};
  Callback callback_;
  uint64_t deadline_ = 0;     // loop time (ms) at which the callback is due; 0 = as scheduled
  uint64_t scheduled_ = 0;    // loop time the uv timer fires at
};

}  // namespace sluice::core
