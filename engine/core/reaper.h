#pragma once
// Deferred deletion for one loop: objects retired during a callback are deleted after the current
// poll phase (a uv_check callback), so nothing is freed while a frame of its own is still running.

#include <uv.h>

#include <memory>
#include <vector>

namespace sluice::core {

class Reaper {
 public:
  explicit Reaper(uv_loop_t* loop);
  ~Reaper();
  Reaper(const Reaper&) = delete;
  Reaper& operator=(const Reaper&) = delete;

  template <typename T>
  void retire(std::unique_ptr<T> object) {
    if (object) {
      retired_.push_back({object.release(), [](void* p) { delete static_cast<T*>(p); }});
    }
  }
  void run();  // deletes everything retired so far (also called on shutdown)

 private:
  struct Retired {
    void* object;
    void (*destroy)(void*);
  };
  uv_check_t* check_;
  std::vector<Retired> retired_;
  std::vector<Retired> running_;
};

}  // namespace sluice::core
