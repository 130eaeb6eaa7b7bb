#include "engine/core/timer.h"

namespace sluice::core {

Timer* Timer::create(uv_loop_t* loop, Callback callback) {
  auto* timer = new Timer(std::move(callback));
  uv_timer_init(loop, &timer->handle_);
  timer->handle_.data = timer;
  return timer;
}

void Timer::onFire(uv_timer_t* h) {
  auto* self = static_cast<Timer*>(h->data);
  const uint64_t now = uv_now(h->loop);
  if (self->deadline_ > now) {
    // Fired at an earlier deadline that was since pushed back: wait for the rest.
    self->scheduled_ = self->deadline_;
    uv_timer_start(&self->handle_, &Timer::onFire, self->deadline_ - now, 0);
    return;
  }
  self->deadline_ = 0;
  if (self->callback_) {
    self->callback_();
  }
}

void Timer::start(uint64_t timeout_ms) {
  deadline_ = 0;
  scheduled_ = uv_now(handle_.loop) + timeout_ms;
  uv_timer_start(&handle_, &Timer::onFire, timeout_ms, 0);
}

void Timer::setDeadline(uint64_t timeout_ms) {
  const uint64_t due = uv_now(handle_.loop) + timeout_ms;
  if (active() && scheduled_ <= due) {
    deadline_ = due;
    return;
  }
  deadline_ = 0;
  scheduled_ = due;
  uv_timer_start(&handle_, &Timer::onFire, timeout_ms, 0);
}

void Timer::startRepeating(uint64_t interval_ms) {
  uv_timer_start(
      &handle_, [](uv_timer_t* h) { static_cast<Timer*>(h->data)->callback_(); }, interval_ms,
      interval_ms);
}

void Timer::stop() {
  deadline_ = 0;
  uv_timer_stop(&handle_);
}

void Timer::close() {
  uv_timer_stop(&handle_);
  callback_ = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&handle_),
           [](uv_handle_t* h) { delete static_cast<Timer*>(h->data); });
}

}  // namespace sluice::core
