#pragma once
// Rate-limits one kind of log line from one thread: at most `burst` lines per `window`; the lines
// over that are counted, and the first line of the next window is preceded by one saying how many
// were left out. For events a client can cause at will (slow clients, refused connections), so that
// an attack cannot flood the log; the metrics still count every event. Owned by a worker (or any
// other single-threaded owner) and used on its thread only.

#include <chrono>
#include <cstdint>
#include <string>

namespace sluice::log {

class LogBudget {
 public:
  using Clock = std::chrono::steady_clock;

  // `left_out` names the lines in the summary: "{N} more {left_out} were not logged".
  LogBudget(uint32_t burst, std::chrono::seconds window, std::string left_out)
      : burst_(burst), window_(window), left_out_(std::move(left_out)) {}

  // True when a line may be logged now; false when it is over the budget (and counted).
  bool take(Clock::time_point now = Clock::now());
  uint64_t leftOut() const { return left_out_count_; }

 private:
  uint32_t burst_;
  Clock::duration window_;
  std::string left_out_;
  Clock::time_point window_start_{};
  uint32_t used_ = 0;
  uint64_t left_out_count_ = 0;
};

}  // namespace sluice::log
