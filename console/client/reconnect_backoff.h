#pragma once
// Delays between reconnect attempts: exponential from `initial_ms` up to `max_ms` (0.5 s → 10 s by
// default), each taken at random from [0.8, 1.0] of its step so that many consoles restarted with a
// node do not knock in lock step. reset() after a connection has worked. Plain value class.

#include <QRandomGenerator>

namespace sluice::console {

class ReconnectBackoff {
 public:
  ReconnectBackoff(int initial_ms = 500, int max_ms = 10000) : initial_ms_(initial_ms), max_ms_(max_ms) {}

  // The delay before the next attempt; each call moves one step further.
  int next();
  void reset() { attempt_ = 0; }
  int attempt() const { return attempt_; }
  int initialMs() const { return initial_ms_; }
  int maxMs() const { return max_ms_; }

 private:
  int initial_ms_;
  int max_ms_;
  int attempt_ = 0;
  QRandomGenerator random_{QRandomGenerator::securelySeeded()};
};

}  // namespace sluice::console
