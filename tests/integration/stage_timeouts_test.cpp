// Per-route stage timeouts through the real binary (docs/resilience.md, "Timeouts"): each maps to
// its status and is counted under its reason: first_byte 504, idle (the response cut short), total
// 504, send 504; refused connections and resets are 502s counted as such.

#include <QElapsedTimer>
#include <QtTest>

#include "tests/support/metrics_reader.h"
#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/origin_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

class StageTimeoutsTest : public QObject {
  Q_OBJECT

 private:
  OriginProcess origin_;
  NodeProcess node_;
  int port_ = -1;

  HttpResponse get(const QByteArray& host, const QByteArray& target) {
    return RawHttpClient::exchange(port_, buildRequest("GET", target, {}, {}, host));
  }
  bool waitTimeouts(const QByteArray& reason, double value) {
    return waitForMetric(node_.adminPort(), "sluice_upstream_timeouts_total{reason=\"" + reason + "\"}", value);
  }

 private slots:
  void initTestCase() {
    QVERIFY(origin_.start());
    const QString sections =
        QStringLiteral(
            "upstreams:\n"
            "  - { name: o, servers: [%1], max_fails: 1000 }\n"
            "  - { name: dead, servers: [%2], max_fails: 1000 }\n"
            "routes:\n"
            "  - { name: fb, match: { host: fb.test }, upstream: o, timeouts: { first_byte: 300ms } }\n"
            "  - { name: idle, match: { host: idle.test }, upstream: o, timeouts: { idle: 300ms } }\n"
            "  - { name: total, match: { host: total.test }, upstream: o, timeouts: { total: 400ms } }\n"
            "  - { name: send, match: { host: send.test }, upstream: o, timeouts: { send: 300ms } }\n"
            "  - { name: dead, match: { host: dead.test }, upstream: dead }\n")
            .arg(origin_.address(), unusedAddress());
    QVERIFY2(node_.start(nodeConfig(sections)), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
  }

  void firstByteIs504() {
    QElapsedTimer timer;
    timer.start();
    const HttpResponse r = get("fb.test", "/hang");
    QCOMPARE(r.status, 504);
    QVERIFY2(timer.elapsed() >= 250 && timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(waitTimeouts("first_byte", 1.0));
  }

  void idleCutsTheResponseShort() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send(buildRequest("GET", "/stall-body?size=100", {}, {}, "idle.test")));
    // The head was passed on; then nothing comes for 300 ms and the client connection is closed.
    QVERIFY(client.isClosedByPeer(3000));
    QVERIFY(waitTimeouts("idle", 1.0));
  }

  void totalIs504BeforeTheHead() {
    QElapsedTimer timer;
    timer.start();
    const HttpResponse r = get("total.test", "/delay/2000");
    QCOMPARE(r.status, 504);
    QVERIFY2(timer.elapsed() >= 350 && timer.elapsed() < 1500, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(waitTimeouts("total", 1.0));
  }

  void totalCutsASlowBody() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send(buildRequest("GET", "/slow/20?bytes=1&interval=100", {}, {}, "total.test")));
    QVERIFY(client.isClosedByPeer(3000));
    QVERIFY(waitTimeouts("total", 2.0));
  }

  void sendIs504() {
    // The client announces 100 bytes and sends 10: the request never finishes leaving.
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send("POST /upload HTTP/1.1\r\nHost: send.test\r\nContent-Length: 100\r\n\r\n0123456789"));
    const HttpResponse r = client.readResponse(3000);
    QCOMPARE(r.status, 504);
    QVERIFY(waitTimeouts("send", 1.0));
  }

  void refusedAndResetAre502() {
    QCOMPARE(get("dead.test", "/").status, 502);
    QVERIFY(waitForMetric(node_.adminPort(), R"(sluice_upstream_attempt_failures_total{reason="refused"})", 1.0));
    QCOMPARE(get("fb.test", "/reset").status, 502);
    QVERIFY(waitForMetric(node_.adminPort(), R"(sluice_upstream_attempt_failures_total{reason="reset"})", 1.0));
  }

  void cleanupTestCase() { QCOMPARE(node_.stop(), 0); }
};

QTEST_GUILESS_MAIN(StageTimeoutsTest)
#include "stage_timeouts_test.moc"
