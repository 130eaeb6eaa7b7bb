#pragma once
// The minimum receive rate of one request head or one request body (limits.min_request_rate and
// limits.min_rate_grace), against slowloris and slow-POST clients that trickle just enough bytes to
// keep header_timeout / body_timeout from firing. Owned by a ClientConnection; used on its loop
// thread only. Pure arithmetic on loop times (ms): no timer of its own.
//
// The rule: from `grace` after the phase started, bytes / elapsed >= rate. So the phase becomes too
// slow at start + max(grace, bytes * 1000 / rate): each read moves that instant later, and the
// connection arms its one timer for it (Timer::setDeadline is lazy, so a read costs no timer work).
// Time during which the node itself stopped reading (backpressure: the upstream takes the body
// slower than the client sends it) is not held against the client.

#include <cstdint>
#include <limits>

namespace sluice::server {

class MinRateWatch {
 public:
  static constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();

  // bytes_per_s == 0 turns the check off.
  void configure(uint64_t bytes_per_s, uint64_t grace_ms) {
    rate_ = bytes_per_s;
    grace_ms_ = grace_ms;
  }
  // A head or a body starts arriving at now_ms: bytes and elapsed time count from zero.
  void begin(uint64_t now_ms);
  // The phase ended (or was cut): no deadline until the next begin().
  void end() { active_ = false; }
  void add(uint64_t bytes) { bytes_ += bytes; }
  // The node stops / resumes reading: the paused time is left out of the elapsed time.
  void pause(uint64_t now_ms);
  void resume(uint64_t now_ms);

  bool active() const { return active_; }
  // Loop time (ms) at which the average falls below the minimum; kNever when off, inactive or paused.
  uint64_t deadline() const;
  uint64_t bytes() const { return bytes_; }
  // Time the phase has run, paused time left out.
  uint64_t elapsedMs(uint64_t now_ms) const;
  uint64_t rate() const { return rate_; }

 private:
  uint64_t rate_ = 0;
  uint64_t grace_ms_ = 0;
  uint64_t start_ms_ = 0;  // shifted later by every pause, so elapsed time excludes it
  uint64_t paused_at_ms_ = 0;
  uint64_t bytes_ = 0;
  bool active_ = false;
  bool paused_ = false;
};

}  // namespace sluice::server
