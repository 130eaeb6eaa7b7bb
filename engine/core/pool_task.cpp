#include "engine/core/pool_task.h"

#include <memory>

namespace sluice::core {
namespace {

struct PoolTask {
  uv_work_t request{};
  std::function<void()> work;
  std::function<void()> done;
};

}  // namespace

bool runOnPool(uv_loop_t* loop, std::function<void()> work, std::function<void()> done) {
  auto task = std::make_unique<PoolTask>();
  task->request.data = task.get();
  task->work = std::move(work);
  task->done = std::move(done);
  const int rc = uv_queue_work(
      loop, &task->request, [](uv_work_t* req) { static_cast<PoolTask*>(req->data)->work(); },
      [](uv_work_t* req, int /*status*/) {
        std::unique_ptr<PoolTask> owned(static_cast<PoolTask*>(req->data));
        owned->done();
      });
  if (rc != 0) {
    return false;
  }
  task.release();  // owned by the request until its after-work callback
  return true;
}

}  // namespace sluice::core
