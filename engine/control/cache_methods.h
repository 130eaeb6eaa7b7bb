#pragma once
// `cache.purge`: exactly one of {"url"}, {"prefix"}, {"tag"}, {"all": true}; answers {"purged": N}
// once the store's writer thread has removed the entries (the count comes back to the control loop
// through `loop_tasks`). Control thread.

#include <functional>

#include "engine/control/control_method.h"
#include "engine/core/task_queue.h"
#include "engine/filters/cache/cache_service.h"

namespace sluice::control {

// `cache` returns null while the node has no cache (no route uses a cache policy).
void addCacheMethods(MethodTable& table, std::function<filters::cache::CacheServicePtr()> cache,
                     core::TaskQueuePtr loop_tasks);

}  // namespace sluice::control
