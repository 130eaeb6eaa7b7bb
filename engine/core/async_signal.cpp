#include "engine/core/async_signal.h"

namespace sluice::core {

AsyncSignal* AsyncSignal::create(uv_loop_t* loop, Callback callback) {
  auto* signal = new AsyncSignal(std::move(callback));
  uv_async_init(loop, &signal->handle_, [](uv_async_t* h) {
    auto* self = static_cast<AsyncSignal*>(h->data);
    if (self->callback_) {
      self->callback_();
    }
  });
  signal->handle_.data = signal;
  return signal;
}

void AsyncSignal::close() {
  callback_ = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&handle_),
           [](uv_handle_t* h) { delete static_cast<AsyncSignal*>(h->data); });
}

}  // namespace sluice::core
