// SIGHUP reloads the config without dropping in-flight requests (and keeps the old one when the new
// one is invalid); SIGTERM drains in-flight requests, refuses new connections and exits 0.

#include <signal.h>

#include <QtTest>

#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/origin_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

class SignalsTest : public QObject {
  Q_OBJECT

 private:
  QString config(const QString& hello_body, const QString& extra = {}) {
    return nodeConfig(QStringLiteral("upstreams:\n"
                                     "  - name: app\n"
                                     "    servers: [%1]\n"
                                     "routes:\n"
                                     "  - name: hello\n"
                                     "    match: { path_exact: /hello }\n"
                                     "    respond: { status: 200, body: \"%2\" }\n"
                                     "  - name: app\n"
                                     "    match: { path_prefix: / }\n"
                                     "    upstream: app\n")
                              .arg(origin_.address(), hello_body) +
                          extra,
                      {.workers = 2});
  }

  QByteArray hello(int port) { return RawHttpClient::exchange(port, buildRequest("GET", "/hello")).body; }

  // Sends a /delay request and returns once the origin has it (so it is truly in flight).
  bool startSlowRequest(RawHttpClient& client, int port, int delay_ms) {
    const qint64 before = origin_.requests();
    return client.connect(port) &&
           client.send(buildRequest("GET", "/delay/" + QByteArray::number(delay_ms))) &&
           waitUntil([&] { return origin_.requests() > before; }, 3000);
  }

  OriginProcess origin_;

 private slots:
  void initTestCase() { QVERIFY(origin_.start(QStringLiteral("o1"))); }

  void sighupAppliesNewConfig() {
    NodeProcess node;
    QVERIFY2(node.start(config(QStringLiteral("v1"))), qPrintable(node.output()));
    const int port = node.port(QStringLiteral("plain"));
    QCOMPARE(hello(port), QByteArray("v1"));

    RawHttpClient slow;
    QVERIFY(startSlowRequest(slow, port, 1500));
    QVERIFY(node.writeConfig(config(QStringLiteral("v2"))));
    QVERIFY(node.sendSignal(SIGHUP));
    QVERIFY2(waitUntil([&] { return hello(port) == "v2"; }, 5000, 50), qPrintable(node.output()));
    for (int i = 0; i < 6; ++i) {  // every worker has switched, not just one
      QCOMPARE(hello(port), QByteArray("v2"));
    }

    const HttpResponse in_flight = slow.readResponse(5000);
    QVERIFY2(in_flight.status == 200, qPrintable(in_flight.describe()));
    QCOMPARE(in_flight.body, QByteArray("delayed 1500 ms\n"));
    QVERIFY(node.isRunning());
  }

  void sighupWithInvalidConfigKeepsOld() {
    NodeProcess node;
    QVERIFY2(node.start(config(QStringLiteral("v1"))), qPrintable(node.output()));
    const int port = node.port(QStringLiteral("plain"));
    const QString broken = config(QStringLiteral("v2"), QStringLiteral("bogus_key: 1\n"));
    const int line = broken.count(QLatin1Char('\n'));  // the last line
    QVERIFY(node.writeConfig(broken));
    QVERIFY(node.sendSignal(SIGHUP));
    const QString where = QStringLiteral("%1:%2:").arg(node.configPath()).arg(line);
    QVERIFY2(node.waitForOutput(where, 5000), qPrintable(node.output()));
    QVERIFY(node.output().contains(QStringLiteral("unknown key 'bogus_key'")));
    QCOMPARE(hello(port), QByteArray("v1"));
    QVERIFY(node.isRunning());
  }

  void sigtermDrainsAndExits() {
    NodeProcess node;
    QVERIFY2(node.start(config(QStringLiteral("v1"))), qPrintable(node.output()));
    const int port = node.port(QStringLiteral("plain"));
    RawHttpClient slow;
    QVERIFY(startSlowRequest(slow, port, 2000));
    QVERIFY(node.sendSignal(SIGTERM));
    // New connections are refused while the in-flight request finishes.
    QVERIFY2(waitUntil(
                 [&] {
                   RawHttpClient probe;
                   return !probe.connect(port, QStringLiteral("127.0.0.1"), 200);
                 },
                 1000),
             "the node still accepts connections after SIGTERM");
    const HttpResponse in_flight = slow.readResponse(5000);
    QVERIFY2(in_flight.status == 200, qPrintable(in_flight.describe()));
    QCOMPARE(in_flight.body, QByteArray("delayed 2000 ms\n"));
    QCOMPARE(node.waitForExit(10000), 0);
  }
};

QTEST_GUILESS_MAIN(SignalsTest)
#include "signals_test.moc"
