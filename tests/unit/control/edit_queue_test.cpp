// EditQueue: one job at a time, in order, at most N waiting; jobs that finish at once run the next.

#include "engine/control/edit_queue.h"

#include <QtTest>

using sluice::control::EditQueue;

class EditQueueTest : public QObject {
  Q_OBJECT

 private slots:
  void jobsRunOneAtATimeInOrder() {
    EditQueue queue(2);
    std::vector<std::string> log;
    EditQueue::Done first_done;
    QVERIFY(queue.submit([&](EditQueue::Done done) {
      log.push_back("first");
      first_done = done;  // finishes later
    }));
    QVERIFY(queue.running());
    QVERIFY(queue.submit([&](EditQueue::Done done) {
      log.push_back("second");
      done();
    }));
    QVERIFY(queue.submit([&](EditQueue::Done done) {
      log.push_back("third");
      done();
    }));
    QVERIFY(!queue.submit([&](EditQueue::Done) { log.push_back("refused"); }));  // two wait already
    queue.submitAlways([&](EditQueue::Done done) {
      log.push_back("always");
      done();
    });
    QCOMPARE(queue.waiting(), size_t(3));
    QCOMPARE(log, std::vector<std::string>{"first"});
    first_done();
    QCOMPARE(log, (std::vector<std::string>{"first", "second", "third", "always"}));
    QVERIFY(!queue.running());
    QCOMPARE(queue.waiting(), size_t(0));
  }

  void anIdleQueueRunsAtOnce() {
    EditQueue queue(0);
    int runs = 0;
    QVERIFY(queue.submit([&](EditQueue::Done done) {
      ++runs;
      done();
    }));
    QVERIFY(queue.submit([&](EditQueue::Done done) {
      ++runs;
      done();
    }));
    QCOMPARE(runs, 2);
  }
};

QTEST_GUILESS_MAIN(EditQueueTest)
#include "edit_queue_test.moc"
