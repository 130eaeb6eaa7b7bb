// fixed_window (engine/filters/rate_limit/fixed_window.h) at its window edges, with an injected clock.

#include "engine/filters/rate_limit/fixed_window.h"

#include <QtTest>

#include "tests/unit/filters/rate_limit/drain.h"

using namespace sluice::rate_limit;

namespace {

constexpr uint64_t kSec = kNsPerSecond;

}  // namespace

class FixedWindowTest : public QObject {
  Q_OBJECT

 private slots:
  void limitPerWindowAndResetAtTheBoundary() {
    const AlgorithmParams p = fixedWindowParams(5, 10 * kSec);
    uint64_t state = 0;
    const uint64_t start = 30 * kSec;  // a window starts here (windows are multiples of 10 s)
    QCOMPARE(drain(p, state, start), uint64_t(5));
    const uint64_t last_ns = start + 10 * kSec - 1;
    const Decision before = fixedWindowDecide(p, state, last_ns);
    QVERIFY(!before.allowed);
    QCOMPARE(before.retry_ns, uint64_t(1));  // the next window starts 1 ns later
    QCOMPARE(before.reset_ns, uint64_t(1));
    QCOMPARE(drain(p, state, start + 10 * kSec), uint64_t(5));
  }

  void countsAcrossAWindowAddUp() {
    const AlgorithmParams p = fixedWindowParams(3, 10 * kSec);
    uint64_t state = 0;
    QCOMPARE(drain(p, state, 41 * kSec), uint64_t(3));  // window 40..50
    QVERIFY(!fixedWindowDecide(p, state, 49 * kSec).allowed);
    const Decision next = fixedWindowDecide(p, state, 50 * kSec);
    QVERIFY(next.allowed);
    QCOMPARE(next.remaining, uint64_t(2));
    QCOMPARE(next.reset_ns, 10 * kSec);
  }

  void remainingCountsDown() {
    const AlgorithmParams p = fixedWindowParams(4, kSec);
    uint64_t state = 0;
    for (uint64_t i = 1; i <= 4; ++i) {
      const Decision d = fixedWindowDecide(p, state, 7 * kSec + kSec / 4);
      QVERIFY(d.allowed);
      QCOMPARE(d.remaining, 4 - i);
      QCOMPARE(d.reset_ns, 3 * kSec / 4);
      state = d.value;
    }
  }

  void refundOnlyInTheSameWindow() {
    const AlgorithmParams p = fixedWindowParams(2, 10 * kSec);
    uint64_t state = 0;
    QCOMPARE(drain(p, state, 10 * kSec), uint64_t(2));
    state = fixedWindowRefund(p, state, 10 * kSec);
    QCOMPARE(drain(p, state, 10 * kSec), uint64_t(1));
    const uint64_t old = state;
    QCOMPARE(fixedWindowRefund(p, old, 20 * kSec), old);  // a past window's count is not touched
  }

  void oldStateFromAnotherWindowIsFresh() {
    const AlgorithmParams p = fixedWindowParams(2, kSec);
    uint64_t state = 0;
    QCOMPARE(drain(p, state, 5 * kSec), uint64_t(2));
    QCOMPARE(drain(p, state, 9 * kSec + 1), uint64_t(2));
  }
};

QTEST_GUILESS_MAIN(FixedWindowTest)
#include "fixed_window_test.moc"
