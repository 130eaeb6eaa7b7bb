#include "tests/support/wait_until.h"

#include <QDeadlineTimer>
#include <QThread>

namespace sluice::test {

bool waitUntil(const std::function<bool()>& condition, int timeout_ms, int interval_ms) {
  const QDeadlineTimer deadline(timeout_ms);
  for (;;) {
    if (condition()) {
      return true;
    }
    if (deadline.hasExpired()) {
      return false;
    }
    QThread::msleep(static_cast<unsigned long>(interval_ms));
  }
}

}  // namespace sluice::test
