// Request coalescing bookkeeping (engine/filters/cache/flight_table.h) and the pending-writes table
// (pending_writes.h): who leads, who is told what, on which loop, and what a lookup finds meanwhile.

#include "engine/filters/cache/flight_table.h"

#include <QtTest>
#include <uv.h>

#include "engine/filters/cache/pending_writes.h"

using namespace sluice::filters::cache;
using sluice::core::TaskQueue;

class FlightTableTest : public QObject {
  Q_OBJECT

 private:
  uv_loop_t loop_{};
  std::shared_ptr<TaskQueue> queue_;

  void runLoop() { uv_run(&loop_, UV_RUN_NOWAIT); }

 private slots:
  void init() {
    uv_loop_init(&loop_);
    queue_ = TaskQueue::create(&loop_);
  }
  void cleanup() {
    queue_->close();
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_loop_close(&loop_);
  }

  void firstLeadsOthersWaitAndAreToldOnTheirLoop() {
    FlightTable table;
    uint64_t id = 0;
    QVERIFY(table.join("k", queue_, [](FlightOutcome, const FlightResultPtr&) { QFAIL("a leader is not notified"); }, id));
    int told = 0;
    FlightOutcome seen = FlightOutcome::Aborted;
    uint64_t a = 0;
    uint64_t b = 0;
    auto notify = [&](FlightOutcome o, const FlightResultPtr& r) {
      ++told;
      seen = o;
      QCOMPARE(r->record, std::string("R"));
    };
    QVERIFY(!table.join("k", queue_, notify, a));
    QVERIFY(!table.join("k", queue_, notify, b));
    QVERIFY(a != b);
    QCOMPARE(table.flights(), size_t{1});
    auto result = std::make_shared<FlightResult>(FlightResult{"k", "R"});
    table.complete("k", FlightOutcome::Stored, result);
    QCOMPARE(told, 0);  // posted, not called on the completing thread
    QCOMPARE(table.flights(), size_t{0});
    runLoop();
    QCOMPARE(told, 2);
    QCOMPARE(seen, FlightOutcome::Stored);
    // The key is free again: the next miss leads.
    QVERIFY(table.join("k", queue_, [](FlightOutcome, const FlightResultPtr&) {}, id));
  }

  void aWaiterThatLeftIsNotTold() {
    FlightTable table;
    uint64_t id = 0;
    table.join("k", queue_, [](FlightOutcome, const FlightResultPtr&) {}, id);
    uint64_t waiter = 0;
    bool told = false;
    QVERIFY(!table.join("k", queue_, [&](FlightOutcome, const FlightResultPtr&) { told = true; }, waiter));
    table.leave("k", waiter);
    table.complete("k", FlightOutcome::Uncacheable, nullptr);
    runLoop();
    QVERIFY(!told);
  }

  void completionFromAnotherThreadRunsOnTheWaitersLoop() {
    FlightTable table;
    uint64_t id = 0;
    table.join("k", queue_, [](FlightOutcome, const FlightResultPtr&) {}, id);
    std::thread::id ran_on;
    table.join("k", queue_, [&](FlightOutcome, const FlightResultPtr&) { ran_on = std::this_thread::get_id(); }, id);
    std::thread([&] { table.complete("k", FlightOutcome::Aborted, nullptr); }).join();
    runLoop();
    QCOMPARE(ran_on, std::this_thread::get_id());
  }

  void pendingWritesUntilSettled() {
    PendingWrites pending;
    auto first = std::make_shared<FlightResult>(FlightResult{"a", "one"});
    auto second = std::make_shared<FlightResult>(FlightResult{"a", "two"});
    pending.add(first);
    QCOMPARE(pending.find("a")->record, std::string("one"));
    pending.add(second);  // a newer put for the key replaces it
    pending.settled(first.get());
    QCOMPARE(pending.find("a")->record, std::string("two"));  // the older settling does not remove it
    pending.settled(second.get());
    QVERIFY(!pending.find("a"));
    pending.add(first);
    pending.clear();
    QVERIFY(!pending.find("a"));
  }

  void pendingWritesAreBounded() {
    PendingWrites pending;
    const std::string big(PendingWrites::kMaxBytes / 4, 'x');
    std::vector<FlightResultPtr> entries;
    for (int i = 0; i < 6; ++i) {
      entries.push_back(std::make_shared<FlightResult>(FlightResult{"k" + std::to_string(i), big}));
      pending.add(entries.back());
    }
    QVERIFY(!pending.find("k0"));  // the oldest went first
    QVERIFY(!pending.find("k1"));
    QVERIFY(pending.find("k5"));
    QVERIFY(pending.find("k2"));
  }
};

QTEST_GUILESS_MAIN(FlightTableTest)
#include "flight_table_test.moc"
