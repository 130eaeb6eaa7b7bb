// MinRateWatch: when a head or body that trickles in becomes too slow, with grace, pauses and "off".

#include "engine/server/min_rate_watch.h"

#include <QtTest>

using sluice::server::MinRateWatch;

class MinRateWatchTest : public QObject {
  Q_OBJECT

 private slots:
  void inactiveOrOffHasNoDeadline() {
    MinRateWatch w;
    w.configure(1024, 5000);
    QCOMPARE(w.deadline(), MinRateWatch::kNever);  // nothing begun
    w.begin(100);
    QCOMPARE(w.deadline(), uint64_t(5100));
    w.end();
    QCOMPARE(w.deadline(), MinRateWatch::kNever);

    MinRateWatch off;
    off.configure(0, 5000);
    off.begin(100);
    QCOMPARE(off.deadline(), MinRateWatch::kNever);
  }

  void graceComesFirst() {
    MinRateWatch w;
    w.configure(1000, 5000);
    w.begin(0);
    w.add(3000);  // 3 s worth of credit: still the grace
    QCOMPARE(w.deadline(), uint64_t(5000));
  }

  void eachByteBuysTimeAfterTheGrace() {
    MinRateWatch w;
    w.configure(1000, 5000);
    w.begin(10'000);
    w.add(8000);  // 8 s worth at 1000 B/s
    QCOMPARE(w.deadline(), uint64_t(18'000));
    w.add(500);
    QCOMPARE(w.deadline(), uint64_t(18'500));
    QCOMPARE(w.bytes(), uint64_t(8500));
    QCOMPARE(w.elapsedMs(12'000), uint64_t(2000));
  }

  void beginStartsOver() {
    MinRateWatch w;
    w.configure(1000, 1000);
    w.begin(0);
    w.add(10'000);
    w.begin(50'000);
    QCOMPARE(w.bytes(), uint64_t(0));
    QCOMPARE(w.deadline(), uint64_t(51'000));
  }

  void pausedTimeIsNotCounted() {
    MinRateWatch w;
    w.configure(1000, 2000);
    w.begin(0);
    w.add(3000);
    QCOMPARE(w.deadline(), uint64_t(3000));
    w.pause(1000);
    QCOMPARE(w.deadline(), MinRateWatch::kNever);  // the node stopped reading, not the client
    QCOMPARE(w.elapsedMs(60'000), uint64_t(1000));
    w.resume(11'000);
    QCOMPARE(w.deadline(), uint64_t(13'000));
    QCOMPARE(w.elapsedMs(12'000), uint64_t(2000));
    w.resume(20'000);  // not paused: no effect
    QCOMPARE(w.deadline(), uint64_t(13'000));
  }

  void hugeCountsDoNotOverflow() {
    MinRateWatch w;
    w.configure(1, 1000);
    w.begin(1000);
    w.add(uint64_t(1) << 53);
    QVERIFY(w.deadline() > uint64_t(1) << 53);
  }
};

QTEST_GUILESS_MAIN(MinRateWatchTest)
#include "min_rate_watch_test.moc"
