#pragma once
// A held unit of something counted elsewhere (a request in flight for a rate-limit key, a client
// connection for an address): move-only, and released exactly once, by release() or by the
// destructor. The owner of the count supplies a plain function and a token, so holders (request
// contexts, connections) need not know what they hold.

#include <cstdint>
#include <utility>

namespace sluice::core {

class Lease {
 public:
  using ReleaseFn = void (*)(void* owner, uint64_t token);

  Lease() = default;
  Lease(ReleaseFn fn, void* owner, uint64_t token) : fn_(fn), owner_(owner), token_(token) {}
  ~Lease() { release(); }
  Lease(Lease&& other) noexcept
      : fn_(std::exchange(other.fn_, nullptr)), owner_(other.owner_), token_(other.token_) {}
  Lease& operator=(Lease&& other) noexcept {
    if (this != &other) {
      release();
      fn_ = std::exchange(other.fn_, nullptr);
      owner_ = other.owner_;
      token_ = other.token_;
    }
    return *this;
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  bool held() const { return fn_ != nullptr; }
  void release() {
    if (fn_ != nullptr) {
      std::exchange(fn_, nullptr)(owner_, token_);
    }
  }

 private:
  ReleaseFn fn_ = nullptr;
  void* owner_ = nullptr;
  uint64_t token_ = 0;
};

}  // namespace sluice::core
