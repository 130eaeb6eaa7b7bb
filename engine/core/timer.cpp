#include "engine/core/timer.h"

namespace sluice::core {

Timer* Timer::create(uv_loop_t* loop, Callback callback) {
  auto* timer = new Timer(std::move(callback));
  uv_timer_init(loop, &timer->handle_);
  timer->handle_.data = timer;
  return timer;
}

void Timer::start(uint64_t timeout_ms) {
  uv_timer_start(
      &handle_, [](uv_timer_t* h) { static_cast<Timer*>(h->data)->callback_(); }, timeout_ms, 0);
}

void Timer::startRepeating(uint64_t interval_ms) {
  uv_timer_start(
      &handle_, [](uv_timer_t* h) { static_cast<Timer*>(h->data)->callback_(); }, interval_ms,
      interval_ms);
}

void Timer::stop() { uv_timer_stop(&handle_); }

void Timer::close() {
  uv_timer_stop(&handle_);
  callback_ = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&handle_),
           [](uv_handle_t* h) { delete static_cast<Timer*>(h->data); });
}

}  // namespace sluice::core
