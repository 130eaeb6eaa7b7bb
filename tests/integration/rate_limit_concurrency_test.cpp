// Concurrency limits: a policy's max_in_flight per key (held while the request runs, given back
// when it ends or its client goes away) and a listener's max_connections_per_ip.

#include <sys/socket.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <memory>
#include <vector>

#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/origin_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

}  // namespace

class RateLimitConcurrencyTest : public QObject {
  Q_OBJECT

 private:
  OriginProcess origin_;

  // Sends a slow request on `client` and waits until the origin has it in hand.
  bool startSlow(RawHttpClient& client, int port, const QByteArray& key, int delay_ms) {
    const qint64 before = origin_.requests();
    return client.connect(port) &&
           client.send(buildRequest("GET", "/delay/" + QByteArray::number(delay_ms), {{"X-Api-Key", key}})) &&
           waitUntil([&] { return origin_.requests() > before; }, 5000);
  }

  HttpResponse quick(int port, const QByteArray& key) {
    return RawHttpClient::exchange(port, buildRequest("GET", "/delay/1", {{"X-Api-Key", key}}));
  }

 private slots:
  void initTestCase() { QVERIFY(origin_.start()); }

  void maxInFlightPerKey() {
    NodeProcess node;
    const QString sections = QStringLiteral(
                                 "upstreams:\n  - { name: app, servers: [%1] }\n"
                                 "rate_limits:\n"
                                 "  - { name: conc, key: 'header:X-Api-Key', max_in_flight: 2 }\n"
                                 "  - { name: conc503, key: 'header:X-Api-Key', max_in_flight: 1, in_flight_status: 503 }\n"
                                 "routes:\n"
                                 "  - { name: busy, match: { host: busy.test }, upstream: app, rate_limits: [conc503] }\n"
                                 "  - { name: app, match: { path_prefix: / }, upstream: app, rate_limits: [conc] }\n")
                                 .arg(origin_.address());
    QVERIFY2(node.start(nodeConfig(sections, {.workers = 2})), qPrintable(node.output()));
    const int port = node.port(QStringLiteral("plain"));

    RawHttpClient a, b;
    QVERIFY(startSlow(a, port, "k1", 10000));
    QVERIFY(startSlow(b, port, "k1", 3000));
    const HttpResponse refused = quick(port, "k1");
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.header("Retry-After"), QByteArray("1"));
    QCOMPARE(QJsonDocument::fromJson(refused.body).object().value("type").toString(),
             QStringLiteral("urn:sluice:problem:too-many-in-flight"));
    QCOMPARE(quick(port, "k2").status, 200);  // another key is not affected

    // A client that goes away (here: a reset) gives its place back at once, long before its
    // 10 s request would have ended.
    const linger reset{1, 0};
    ::setsockopt(a.fd(), SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
    a.close();
    QVERIFY2(waitUntil([&] { return quick(port, "k1").status == 200; }, 2000, 50), "slot not released");
    // A finished request gives its place back too.
    QCOMPARE(b.readResponse(10000).status, 200);
    RawHttpClient c, d;
    QVERIFY(startSlow(c, port, "k1", 2000));
    QVERIFY(startSlow(d, port, "k1", 2000));
    QCOMPARE(quick(port, "k1").status, 429);
    QCOMPARE(c.readResponse(10000).status, 200);
    QCOMPARE(d.readResponse(10000).status, 200);
    QCOMPARE(quick(port, "k1").status, 200);

    // in_flight_status: 503 (route `busy`, chosen by Host).
    RawHttpClient e;
    const qint64 before = origin_.requests();
    QVERIFY(e.connect(port));
    QVERIFY(e.send(buildRequest("GET", "/delay/3000", {{"X-Api-Key", "k3"}}, {}, "busy.test")));
    QVERIFY(waitUntil([&] { return origin_.requests() > before; }, 5000));
    const HttpResponse busy =
        RawHttpClient::exchange(port, buildRequest("GET", "/delay/1", {{"X-Api-Key", "k3"}}, {}, "busy.test"));
    QCOMPARE(busy.status, 503);
    QCOMPARE(QJsonDocument::fromJson(busy.body).object().value("title").toString(),
             QStringLiteral("Service Unavailable"));
    QCOMPARE(e.readResponse(10000).status, 200);
  }

  void connectionsPerAddress() {
    NodeProcess node;
    const QString yaml = QStringLiteral(
        "workers: 2\n"
        "listeners:\n"
        "  - { name: plain, address: 127.0.0.1:0, max_connections_per_ip: 3 }\n"
        "control: { socket: ${TMP}/control.sock, admin_http: 127.0.0.1:0 }\n"
        "log: { access_log: 'off' }\n"
        "routes:\n"
        "  - { name: r, respond: { body: ok } }\n");
    QVERIFY2(node.start(yaml), qPrintable(node.output()));
    const int port = node.port(QStringLiteral("plain"));
    std::vector<std::unique_ptr<RawHttpClient>> open;
    for (int i = 0; i < 3; ++i) {
      open.push_back(std::make_unique<RawHttpClient>());
      QVERIFY(open.back()->connect(port));
      QVERIFY(open.back()->send(buildRequest("GET", "/")));
      QCOMPARE(open.back()->readResponse().status, 200);  // counted across both workers
    }
    RawHttpClient fourth;
    QVERIFY(fourth.connect(port));
    const HttpResponse refused = fourth.readResponse();
    QCOMPARE(refused.status, 503);
    QCOMPARE(refused.header("Retry-After"), QByteArray("1"));
    QVERIFY(fourth.isClosedByPeer(3000));
    // Closing one makes room for one.
    open.front()->close();
    const bool room = waitUntil(
        [&] {
          RawHttpClient next;
          return next.connect(port) && next.send(buildRequest("GET", "/")) && next.readResponse().status == 200;
        },
        5000, 50);
    QVERIFY(room);
    const bool counted = waitUntil(
        [&] {
          const HttpResponse m = RawHttpClient::exchange(node.adminPort(), buildRequest("GET", "/metrics"));
          const int at = m.body.indexOf("\nsluice_connections_refused_per_ip_total ");
          return at >= 0 && m.body.mid(at + 41, 8).trimmed().split('\n').first().toInt() >= 1;
        },
        5000, 100);
    QVERIFY(counted);
  }
};

QTEST_GUILESS_MAIN(RateLimitConcurrencyTest)
#include "rate_limit_concurrency_test.moc"
