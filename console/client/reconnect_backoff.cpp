#include "console/client/reconnect_backoff.h"

#include <algorithm>

namespace sluice::console {

int ReconnectBackoff::next() {
  qint64 step = initial_ms_;
  for (int i = 0; i < attempt_ && step < max_ms_; ++i) {
    step *= 2;
  }
  step = std::min<qint64>(step, max_ms_);
  if (step < max_ms_) {
    ++attempt_;
  }
  const qint64 jitter = step / 5;
  return static_cast<int>(step - (jitter > 0 ? random_.bounded(jitter + 1) : 0));
}

}  // namespace sluice::console
