#pragma once
// Blocking work (file writes, fsync) run on libuv's thread pool, with a completion back on the loop:
// the way the control thread does I/O without blocking its loop. The request is heap-allocated and
// freed after `done` ran. `work` runs on a pool thread and must touch only what it owns or what is
// thread-safe; `done` runs on the loop's thread, also when the work was cancelled (then `work` did
// not run). Whoever `done` refers to must outlive it: an active request keeps uv_run going.

#include <uv.h>

#include <functional>

namespace sluice::core {

// False (and nothing runs) only when libuv refuses the request.
bool runOnPool(uv_loop_t* loop, std::function<void()> work, std::function<void()> done);

}  // namespace sluice::core
