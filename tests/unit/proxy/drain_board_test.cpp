// DrainBoard (engine/proxy/drain_board.h): flags per (upstream, server) name, and a generation that
// moves on every change and only then.

#include "engine/proxy/drain_board.h"

#include <QtTest>

using sluice::proxy::DrainBoard;

class DrainBoardTest : public QObject {
  Q_OBJECT

 private slots:
  void nothingIsDrainedAtFirst() {
    DrainBoard board;
    QCOMPARE(board.generation(), uint64_t{0});
    QVERIFY(!board.drained("api", "127.0.0.1:9001"));
    QVERIFY(!board.drained("", ""));
  }

  void flagsArePerUpstreamAndServerName() {
    DrainBoard board;
    board.setDrained("api", "127.0.0.1:9001", true);
    QVERIFY(board.drained("api", "127.0.0.1:9001"));
    QVERIFY(!board.drained("api", "127.0.0.1:9002"));
    // The same server in another upstream is another entry.
    QVERIFY(!board.drained("web", "127.0.0.1:9001"));
    board.setDrained("web", "127.0.0.1:9001", true);
    QVERIFY(board.drained("web", "127.0.0.1:9001"));
    board.setDrained("api", "127.0.0.1:9001", false);
    QVERIFY(!board.drained("api", "127.0.0.1:9001"));
    QVERIFY(board.drained("web", "127.0.0.1:9001"));
  }

  void generationMovesOnChangesOnly() {
    DrainBoard board;
    const uint64_t g0 = board.generation();
    board.setDrained("api", "a:80", true);
    const uint64_t g1 = board.generation();
    QVERIFY(g1 != g0);
    board.setDrained("api", "a:80", true);  // already drained
    QCOMPARE(board.generation(), g1);
    board.setDrained("api", "b:80", false);  // never drained
    QCOMPARE(board.generation(), g1);
    board.setDrained("other", "a:80", false);  // unknown upstream
    QCOMPARE(board.generation(), g1);
    board.setDrained("api", "a:80", false);
    const uint64_t g2 = board.generation();
    QVERIFY(g2 != g1);
    board.setDrained("api", "a:80", true);
    QVERIFY(board.generation() != g2);
  }

  void namesAreExact() {
    DrainBoard board;
    board.setDrained("api", "host:80", true);
    QVERIFY(!board.drained("api", "host:8"));
    QVERIFY(!board.drained("api", "host:800"));
    QVERIFY(!board.drained("ap", "host:80"));
    QVERIFY(!board.drained("API", "host:80"));
  }
};

QTEST_GUILESS_MAIN(DrainBoardTest)
#include "drain_board_test.moc"
