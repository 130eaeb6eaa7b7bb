// token_bucket as GCRA (engine/filters/rate_limit/gcra.h) with an injected clock.

#include "engine/filters/rate_limit/gcra.h"

#include <QtTest>

#include "tests/unit/filters/rate_limit/drain.h"

using namespace sluice::rate_limit;

namespace {

constexpr uint64_t kSec = kNsPerSecond;
constexpr uint64_t kT0 = 1000 * kSec;  // any start time

}  // namespace

class GcraTest : public QObject {
  Q_OBJECT

 private slots:
  void fullBucketAllowsLimitPlusBurstAtOnce() {
    const AlgorithmParams p = gcraParams(100, 60 * kSec, 20);
    QCOMPARE(p.interval_ns, 600'000'000ull);
    uint64_t state = 0;
    QCOMPARE(drain(p, state, kT0), uint64_t(120));
    const Decision refused = gcraDecide(p, state, kT0);
    QVERIFY(!refused.allowed);
    QVERIFY(!refused.write);
    QCOMPARE(refused.remaining, uint64_t(0));
    QCOMPARE(refused.retry_ns, p.interval_ns);  // the next token, one interval away
    QCOMPARE(refused.reset_ns, 120 * p.interval_ns);
  }

  void refillsOneRequestPerIntervalExactlyAtTheEdge() {
    const AlgorithmParams p = gcraParams(10, 10 * kSec, 0);  // one per second
    uint64_t state = 0;
    QCOMPARE(drain(p, state, kT0), uint64_t(10));
    QVERIFY(!gcraDecide(p, state, kT0 + kSec - 1).allowed);  // 1 ns before the token
    Decision d = gcraDecide(p, state, kT0 + kSec);          // exactly on it
    QVERIFY(d.allowed);
    QCOMPARE(d.remaining, uint64_t(0));
    state = d.value;
    QVERIFY(!gcraDecide(p, state, kT0 + kSec).allowed);
    QCOMPARE(drain(p, state, kT0 + 5 * kSec), uint64_t(4));
    // After a full window of silence the bucket is full again, no more.
    QCOMPARE(drain(p, state, kT0 + 100 * kSec), uint64_t(10));
  }

  void remainingAndResetCountDown() {
    const AlgorithmParams p = gcraParams(5, 5 * kSec, 0);
    uint64_t state = 0;
    for (uint64_t i = 1; i <= 5; ++i) {
      const Decision d = gcraDecide(p, state, kT0);
      QVERIFY(d.allowed);
      QCOMPARE(d.remaining, 5 - i);
      QCOMPARE(d.reset_ns, i * kSec);  // until the bucket is full again
      state = d.value;
    }
  }

  void refundGivesOneBack() {
    const AlgorithmParams p = gcraParams(3, 3 * kSec, 0);
    uint64_t state = 0;
    QCOMPARE(drain(p, state, kT0), uint64_t(3));
    state = gcraRefund(p, state, kT0);
    QCOMPARE(drain(p, state, kT0), uint64_t(1));
    // A full bucket has nothing to give back.
    QCOMPARE(gcraRefund(p, 0, kT0), uint64_t(0));
  }

  void newParametersReadTheSameState() {
    // A reload from 10/10s to 20/10s keeps the key's backlog: a drained key gets the new capacity
    // minus what it already used, not a fresh bucket.
    uint64_t state = 0;
    QCOMPARE(drain(gcraParams(10, 10 * kSec, 0), state, kT0), uint64_t(10));
    const AlgorithmParams bigger = gcraParams(20, 10 * kSec, 0);  // interval 0.5 s; backlog 10 s = 20 intervals
    QCOMPARE(drain(bigger, state, kT0), uint64_t(0));
    QCOMPARE(drain(bigger, state, kT0 + 5 * kSec), uint64_t(10));
  }

  void stateSurvivesTheModuloWrap() {
    const AlgorithmParams p = gcraParams(2, 2 * kSec, 0);
    const uint64_t near_wrap = (uint64_t{1} << 59) - kSec / 2;
    uint64_t state = 0;
    QCOMPARE(drain(p, state, near_wrap), uint64_t(2));
    QVERIFY(state < near_wrap);  // stored modulo 2^59
    QVERIFY(!gcraDecide(p, state, near_wrap + kSec / 2).allowed);
    QVERIFY(gcraDecide(p, state, near_wrap + kSec).allowed);
  }

  void hugeBurstIsClamped() {
    const AlgorithmParams p = gcraParams(1, 86400 * kSec, 1'000'000'000);
    QVERIFY(p.tolerance_ns <= (uint64_t{1} << 57));
    uint64_t state = 0;
    QVERIFY(gcraDecide(p, state, kT0).allowed);
  }
};

QTEST_GUILESS_MAIN(GcraTest)
#include "gcra_test.moc"
