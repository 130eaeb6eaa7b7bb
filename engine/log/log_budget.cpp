#include "engine/log/log_budget.h"

#include "engine/log/logger.h"

namespace sluice::log {

bool LogBudget::take(Clock::time_point now) {
  if (window_start_ == Clock::time_point{} || now - window_start_ >= window_) {
    if (left_out_count_ > 0) {
      info("{} more {} were not logged", left_out_count_, left_out_);
    }
    window_start_ = now;
    used_ = 0;
    left_out_count_ = 0;
  }
  if (used_ >= burst_) {
    ++left_out_count_;
    return false;
  }
  ++used_;
  return true;
}

}  // namespace sluice::log
