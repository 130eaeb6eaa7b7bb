#pragma once
// A uv_async_t: any thread calls notify(); the callback runs on the owning loop's thread, once for
// any number of notifies in between (libuv coalesces them). Closed with close(), freed in its
// uv_close callback.

#include <uv.h>

#include <functional>

namespace sluice::core {

class AsyncSignal {
 public:
  using Callback = std::function<void()>;

  static AsyncSignal* create(uv_loop_t* loop, Callback callback);

  void notify() { uv_async_send(&handle_); }  // thread-safe
  void close();

 private:
  explicit AsyncSignal(Callback callback) : callback_(std::move(callback)) {}
  ~AsyncSignal() = default;

  uv_async_t handle_{};
  Callback callback_;
};

}  // namespace sluice::core
