// RetryBudget: retries within ratio x requests + min_per_second x window, over a sliding window.

#include <QtTest>

#include "engine/proxy/backoff.h"
#include "engine/proxy/retry_budget.h"

using sluice::config::RetryBudgetConfig;
using sluice::proxy::RetryBudget;
using namespace std::chrono_literals;

namespace {
const RetryBudget::Clock::time_point t0 = RetryBudget::Clock::time_point() + 1000h;
}

class RetryBudgetTest : public QObject {
  Q_OBJECT

 private slots:
  void ratioOfRequests() {
    RetryBudgetConfig c;
    c.ratio = 0.2;
    c.window = 10s;
    c.min_per_second = 0;
    RetryBudget b(c);
    int retries = 0;
    for (int i = 0; i < 50; ++i) {
      b.onRequest(t0);
      retries += b.tryRetry(t0) ? 1 : 0;
      retries += b.tryRetry(t0) ? 1 : 0;
    }
    QCOMPARE(retries, 10);
  }

  void floorPerSecond() {
    RetryBudgetConfig c;
    c.ratio = 0;
    c.window = 2s;
    c.min_per_second = 3;
    RetryBudget b(c);
    int retries = 0;
    for (int i = 0; i < 20; ++i) {
      retries += b.tryRetry(t0) ? 1 : 0;
    }
    QCOMPARE(retries, 6);
  }

  void windowSlides() {
    RetryBudgetConfig c;
    c.ratio = 1;
    c.window = 1s;
    c.min_per_second = 0;
    RetryBudget b(c);
    b.onRequest(t0);
    QVERIFY(b.tryRetry(t0));
    QVERIFY(!b.tryRetry(t0));
    QVERIFY(!b.tryRetry(t0 + 500ms));
    QVERIFY(!b.tryRetry(t0 + 2s));  // the request left the window with its retry
    b.onRequest(t0 + 2s);
    QVERIFY(b.tryRetry(t0 + 2s));
  }

  void backoffIsBoundedAndJittered() {
    using sluice::config::Duration;
    QCOMPARE(sluice::proxy::backoffDelay(Duration(0), Duration(100), 3), Duration(0));
    bool varied = false;
    Duration first = sluice::proxy::backoffDelay(Duration(10), Duration(25), 5);
    for (int i = 0; i < 200; ++i) {
      const Duration d = sluice::proxy::backoffDelay(Duration(10), Duration(25), 5);
      QVERIFY(d >= Duration(0) && d <= Duration(25));
      varied = varied || d != first;
      const Duration one = sluice::proxy::backoffDelay(Duration(10), Duration(1000), 1);
      QVERIFY(one <= Duration(10));
    }
    QVERIFY(varied);
  }
};

QTEST_GUILESS_MAIN(RetryBudgetTest)
#include "retry_budget_test.moc"
