// LogBudget: a burst of lines per window, the rest counted and summarized when the next window opens.

#include "engine/log/log_budget.h"

#include <QtTest>

using sluice::log::LogBudget;

class LogBudgetTest : public QObject {
  Q_OBJECT

 private slots:
  void burstThenSilenceThenAgain() {
    LogBudget budget(3, std::chrono::seconds(10), "test lines");
    const auto t0 = LogBudget::Clock::now();
    QVERIFY(budget.take(t0));
    QVERIFY(budget.take(t0 + std::chrono::seconds(1)));
    QVERIFY(budget.take(t0 + std::chrono::seconds(2)));
    QVERIFY(!budget.take(t0 + std::chrono::seconds(3)));
    QVERIFY(!budget.take(t0 + std::chrono::seconds(9)));
    QCOMPARE(budget.leftOut(), uint64_t(2));
    // A new window: allowed again, and the count of lines left out starts over (after its summary).
    QVERIFY(budget.take(t0 + std::chrono::seconds(10)));
    QCOMPARE(budget.leftOut(), uint64_t(0));
  }

  void zeroBurstLogsNothing() {
    LogBudget budget(0, std::chrono::seconds(1), "test lines");
    QVERIFY(!budget.take());
    QCOMPARE(budget.leftOut(), uint64_t(1));
  }
};

QTEST_GUILESS_MAIN(LogBudgetTest)
#include "log_budget_test.moc"
