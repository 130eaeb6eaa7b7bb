// sliding_window (engine/filters/rate_limit/sliding_window.h): the weighted two-window estimate,
// with an injected clock.

#include "engine/filters/rate_limit/sliding_window.h"

#include <QtTest>

#include "tests/unit/filters/rate_limit/drain.h"

using namespace sluice::rate_limit;

namespace {

constexpr uint64_t kSec = kNsPerSecond;

}  // namespace

class SlidingWindowTest : public QObject {
  Q_OBJECT

 private slots:
  void firstWindowIsExact() {
    const AlgorithmParams p = slidingWindowParams(10, 10 * kSec);
    uint64_t state = 0;
    QCOMPARE(drain(p, state, 15 * kSec), uint64_t(10));  // window 10..20, 5 s in
    const Decision refused = slidingWindowDecide(p, state, 15 * kSec);
    QVERIFY(!refused.allowed);
    // Full current window: wait for the next one (5 s), then until 1/10 of it has slid out.
    QCOMPARE(refused.retry_ns, 6 * kSec);
    QCOMPARE(refused.reset_ns, 15 * kSec);
  }

  void previousWindowIsWeightedByItsOverlap() {
    const AlgorithmParams p = slidingWindowParams(10, 10 * kSec);
    uint64_t state = 0;
    QCOMPARE(drain(p, state, 15 * kSec), uint64_t(10));
    // At the boundary the whole previous window still counts: 10 * 10/10 = 10.
    const Decision at_edge = slidingWindowDecide(p, state, 20 * kSec);
    QVERIFY(!at_edge.allowed);
    QCOMPARE(at_edge.retry_ns, kSec);
    QVERIFY(!slidingWindowDecide(p, state, 21 * kSec - 1).allowed);
    // 1 s in: 10 * 9/10 = 9, so exactly one more fits.
    QCOMPARE(drain(p, state, 21 * kSec), uint64_t(1));
    // 5 s in: 10 * 5/10 = 5, plus the 1 already counted: 4 more.
    QCOMPARE(drain(p, state, 25 * kSec), uint64_t(4));
    // Two windows later nothing from before counts.
    QCOMPARE(drain(p, state, 40 * kSec), uint64_t(10));
  }

  void remainingIsTheRoomLeftUnderTheEstimate() {
    const AlgorithmParams p = slidingWindowParams(100, 10 * kSec);
    uint64_t state = 0;
    QCOMPARE(drain(p, state, 10 * kSec) , uint64_t(100));
    // 2.5 s into the next window: previous weighs 100 * 0.75 = 75, so 25 fit.
    const Decision d = slidingWindowDecide(p, state, 22 * kSec + kSec / 2);
    QVERIFY(d.allowed);
    QCOMPARE(d.remaining, uint64_t(24));
    QCOMPARE(d.reset_ns, 7 * kSec + kSec / 2 + 10 * kSec);
  }

  void previousCountOfLargeLimitsIsRoundedTowardsRefusing() {
    const AlgorithmParams p = slidingWindowParams(10000, 10 * kSec);
    uint64_t state = 0;
    for (int i = 0; i < 5000; ++i) {
      const Decision d = slidingWindowDecide(p, state, 10 * kSec);
      QVERIFY(d.allowed);
      state = d.value;
    }
    // Exactly: 5000 * 0.5 = 2500 count, 7500 fit. Stored as a 12-bit fraction it may be up to
    // limit/4095 (2.4) more, never less.
    const uint64_t passed = drain(p, state, 25 * kSec);
    QVERIFY2(passed <= 7500 && passed >= 7497, qPrintable(QString::number(passed)));
  }

  void refundInTheCurrentWindow() {
    const AlgorithmParams p = slidingWindowParams(3, 10 * kSec);
    uint64_t state = 0;
    QCOMPARE(drain(p, state, 10 * kSec), uint64_t(3));
    state = slidingWindowRefund(p, state, 10 * kSec);
    QCOMPARE(drain(p, state, 10 * kSec), uint64_t(1));
  }
};

QTEST_GUILESS_MAIN(SlidingWindowTest)
#include "sliding_window_test.moc"
