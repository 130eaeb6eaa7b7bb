// The test origin's fault paths (tests/support/test_origin/README.md, "Fault paths"), checked
// without the node so the resilience tests can trust them: a 503 burst of exactly N, resets with and
// without bytes, a stalled body, a slow body, refusing connections for a while (idle connections
// dropped, then listening again on the same port), flapping, and the switchable /health.

#include <QElapsedTimer>
#include <QtTest>

#include "tests/support/origin_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

class FaultOriginTest : public QObject {
  Q_OBJECT

 private:
  OriginProcess origin_;
  int port_ = -1;

  HttpResponse get(const QByteArray& target) { return RawHttpClient::exchange(port_, buildRequest("GET", target)); }
  bool refused() {
    RawHttpClient client;
    return !client.connect(port_, QStringLiteral("127.0.0.1"), 500);
  }

 private slots:
  void initTestCase() {
    QVERIFY(origin_.start(QStringLiteral("faulty")));
    port_ = origin_.port();
  }

  void burstOfExactlyN() {
    QCOMPARE(get("/_fault/fail/3").status, 200);
    for (int i = 0; i < 3; ++i) {
      const HttpResponse r = get("/anything");
      QCOMPARE(r.status, 503);
      QCOMPARE(r.body, QByteArray("failing\n"));
    }
    QCOMPARE(get("/anything").status, 200);
  }

  void resetWithoutAnswer() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send(buildRequest("GET", "/reset")));
    QVERIFY(client.readUntilClosed(2000).isEmpty());
  }

  void resetAfterNBodyBytes() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send(buildRequest("GET", "/reset-after/10")));
    const QByteArray raw = client.readUntilClosed(2000);
    QVERIFY2(raw.contains("Content-Length: 36\r\n"), raw.constData());
    QVERIFY(raw.endsWith("\r\n\r\nabcdefghij"));
  }

  void stalledBodySendsOnlyTheHead() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send(buildRequest("GET", "/stall-body?size=50")));
    const QByteArray head = client.readSome(4096, 1000);
    QVERIFY(head.startsWith("HTTP/1.1 200"));
    QVERIFY(head.endsWith("\r\n\r\n"));
    QVERIFY(client.readSome(4096, 300).isEmpty());
  }

  void slowBody() {
    QElapsedTimer timer;
    timer.start();
    const HttpResponse r = get("/slow/5?bytes=2&interval=100");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("abcde"));
    QVERIFY2(timer.elapsed() >= 250, qPrintable(QString::number(timer.elapsed())));
  }

  void refuseThenListenAgain() {
    RawHttpClient idle;
    QVERIFY(idle.connect(port_));
    QVERIFY(idle.send(buildRequest("GET", "/")));
    QCOMPARE(idle.readResponse().status, 200);
    QCOMPARE(get("/_fault/refuse/600").status, 200);
    QVERIFY(idle.isClosedByPeer(1000));  // idle connections are dropped
    QVERIFY(refused());
    QVERIFY(waitUntil([&] { return get("/").status == 200; }, 3000));
  }

  void flap() {
    QCOMPARE(get("/_fault/flap?down=300&up=300&cycles=2").status, 200);
    QVERIFY(waitUntil([&] { return refused(); }, 1000));
    QVERIFY(waitUntil([&] { return !refused(); }, 1000));
    QVERIFY(waitUntil([&] { return refused(); }, 1000));
    QVERIFY(waitUntil([&] { return get("/").status == 200; }, 2000));
  }

  void switchableHealth() {
    QCOMPARE(get("/health").status, 200);
    QCOMPARE(get("/_fault/unhealthy").status, 200);
    QCOMPARE(get("/health").status, 503);
    QCOMPARE(get("/_fault/clear").status, 200);
    QCOMPARE(get("/health").status, 200);
  }
};

QTEST_GUILESS_MAIN(FaultOriginTest)
#include "fault_origin_test.moc"
