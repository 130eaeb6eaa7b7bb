#include "engine/core/reaper.h"

namespace sluice::core {

Reaper::Reaper(uv_loop_t* loop) : check_(new uv_check_t) {
  uv_check_init(loop, check_);
  check_->data = this;
  uv_check_start(check_, [](uv_check_t* h) { static_cast<Reaper*>(h->data)->run(); });
  uv_unref(reinterpret_cast<uv_handle_t*>(check_));
}

Reaper::~Reaper() {
  run();
  check_->data = nullptr;
  uv_check_stop(check_);
  uv_close(reinterpret_cast<uv_handle_t*>(check_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_check_t*>(h); });
}

void Reaper::run() {
  // Destructors may retire more objects: loop until none are left.
  while (!retired_.empty()) {
    running_.swap(retired_);
    for (const Retired& r : running_) {
      r.destroy(r.object);
    }
    running_.clear();
  }
}

}  // namespace sluice::core
