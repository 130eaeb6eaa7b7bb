// CircuitBreaker state machine on a fake clock: opens after N consecutive failures or on the error
// ratio (only once min_requests were seen), stays open for the cool-down, lets at most M probes
// through half-open, closes after `success` probe successes, re-opens on a failed probe, ignores
// results of requests that were not probes, and gives a probe slot back on abandon.

#include <QtTest>

#include "engine/proxy/circuit_breaker.h"

using sluice::config::CircuitBreakerConfig;
using sluice::proxy::CircuitBreaker;
using namespace std::chrono_literals;

namespace {

using Change = CircuitBreaker::Change;
using State = CircuitBreaker::State;
const CircuitBreaker::Clock::time_point t0 = CircuitBreaker::Clock::time_point() + 1000h;

}  // namespace

class CircuitBreakerTest : public QObject {
  Q_OBJECT

 private slots:
  void disabledAlwaysAdmits() {
    CircuitBreaker b;
    bool probe = true;
    for (int i = 0; i < 100; ++i) {
      b.onSend(t0, probe);
      QCOMPARE(b.onFailure(t0, probe), Change::None);
    }
    QVERIFY(b.admits(t0));
    QVERIFY(!probe);
  }

  void consecutiveFailuresOpenIt() {
    CircuitBreakerConfig c;
    c.consecutive_failures = 3;
    c.cool_down = 10s;
    CircuitBreaker b(&c);
    bool probe = false;
    b.onFailure(t0, false);
    b.onFailure(t0, false);
    b.onSuccess(t0, false);  // resets the run
    b.onFailure(t0, false);
    QCOMPARE(b.onFailure(t0, false), Change::None);
    QCOMPARE(b.onFailure(t0, false), Change::Opened);
    QCOMPARE(b.state(), State::Open);
    QVERIFY(!b.admits(t0 + 9s));
    QCOMPARE(b.remaining(t0 + 4s), CircuitBreaker::Clock::duration(6s));
    QVERIFY(b.admits(t0 + 10s));
    QCOMPARE(b.onSend(t0 + 10s, probe), Change::HalfOpened);
    QVERIFY(probe);
  }

  void halfOpenLimitsProbesAndClosesOnSuccess() {
    CircuitBreakerConfig c;
    c.consecutive_failures = 1;
    c.cool_down = 1s;
    c.half_open_requests = 2;
    c.success = 2;
    CircuitBreaker b(&c);
    QCOMPARE(b.onFailure(t0, false), Change::Opened);
    bool p1 = false;
    bool p2 = false;
    b.onSend(t0 + 1s, p1);
    QVERIFY(b.admits(t0 + 1s));
    b.onSend(t0 + 1s, p2);
    QVERIFY(p1 && p2);
    QVERIFY(!b.admits(t0 + 1s));  // both slots taken
    b.onAbandon(p2);               // the client went away: the slot is free again
    QVERIFY(b.admits(t0 + 1s));
    b.onSend(t0 + 1s, p2);
    QCOMPARE(b.onSuccess(t0 + 1s, false), Change::None);  // not a probe: does not count
    QCOMPARE(b.onSuccess(t0 + 1s, p1), Change::None);
    QCOMPARE(b.onSuccess(t0 + 1s, p2), Change::Closed);
    QCOMPARE(b.state(), State::Closed);
  }

  void failedProbeOpensAgain() {
    CircuitBreakerConfig c;
    c.consecutive_failures = 1;
    c.cool_down = 1s;
    CircuitBreaker b(&c);
    b.onFailure(t0, false);
    bool probe = false;
    b.onSend(t0 + 2s, probe);
    QCOMPARE(b.onFailure(t0 + 2s, false), Change::None);  // a late result of an older request
    QCOMPARE(b.onFailure(t0 + 2s, probe), Change::Opened);
    QVERIFY(!b.admits(t0 + 2500ms));
    QVERIFY(b.admits(t0 + 3s));
  }

  void errorRatioNeedsMinRequests() {
    CircuitBreakerConfig c;
    c.consecutive_failures = 0;
    c.error_ratio = 0.5;
    c.window = 10s;
    c.min_requests = 10;
    CircuitBreaker b(&c);
    bool probe = false;
    // 9 requests, alternating: ratio 0.44..0.5 but below min_requests.
    for (int i = 0; i < 9; ++i) {
      b.onSend(t0, probe);
      QCOMPARE(i % 2 == 0 ? b.onFailure(t0, probe) : b.onSuccess(t0, probe), Change::None);
    }
    b.onSend(t0, probe);
    QCOMPARE(b.onFailure(t0, probe), Change::Opened);  // 10 requests, 6 failures
  }

  void errorRatioForgetsOldRequests() {
    CircuitBreakerConfig c;
    c.consecutive_failures = 0;
    c.error_ratio = 0.5;
    c.window = 10s;
    c.min_requests = 4;
    CircuitBreaker b(&c);
    bool probe = false;
    for (int i = 0; i < 3; ++i) {
      b.onSend(t0, probe);
      b.onFailure(t0, probe);
    }
    // 20 s later the three failures are out of the window: one more is 1 of 1 (below min_requests).
    b.onSend(t0 + 20s, probe);
    QCOMPARE(b.onFailure(t0 + 20s, probe), Change::None);
  }
};

QTEST_GUILESS_MAIN(CircuitBreakerTest)
#include "circuit_breaker_test.moc"
