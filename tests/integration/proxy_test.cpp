// Proxying: the headers the origin sees and the client gets back, upstream keep-alive reuse, load
// balancing, and failures (refused, timeout, retry of idempotent requests, passive health).

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
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

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// The headers the origin received, from its /echo-headers JSON.
HeaderList echoedHeaders(const HttpResponse& response) {
  HeaderList headers;
  const QJsonArray array = QJsonDocument::fromJson(response.body).object().value("headers").toArray();
  for (const QJsonValue& pair : array) {
    headers.append({pair[0].toString().toUtf8(), pair[1].toString().toUtf8()});
  }
  return headers;
}

QList<QByteArray> values(const HeaderList& headers, const QByteArray& name) {
  QList<QByteArray> found;
  for (const auto& [key, value] : headers) {
    if (key.compare(name, Qt::CaseInsensitive) == 0) {
      found.append(value);
    }
  }
  return found;
}

bool isGeneratedId(const QByteArray& id) {
  static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{32}$"));
  return hex.match(QString::fromLatin1(id)).hasMatch();
}

}  // namespace

class ProxyTest : public QObject {
  Q_OBJECT

 private:
  HttpResponse get(const QByteArray& host, const QByteArray& target, const HeaderList& headers = {}) {
    return RawHttpClient::exchange(port_, buildRequest("GET", target, headers, {}, host), 8000);
  }

  OriginProcess a_;
  OriginProcess b_;
  NodeProcess node_;
  int port_ = -1;
  int half_dead_port_ = -1;

  // One upstream `app` with a single origin and the given keepalive, behind a catch-all route.
  static QString singleOriginConfig(const OriginProcess& origin, int keepalive) {
    return nodeConfig(QStringLiteral("upstreams:\n"
                                     "  - name: app\n"
                                     "    servers: [%1]\n"
                                     "    keepalive: %2\n"
                                     "routes:\n"
                                     "  - { name: app, match: { path_prefix: / }, upstream: app }\n")
                          .arg(origin.address())
                          .arg(keepalive));
  }

 private slots:
  void initTestCase() {
    QVERIFY(a_.start(QStringLiteral("A")));
    QVERIFY(b_.start(QStringLiteral("B")));
    half_dead_port_ = unusedPort();
    const QString sections = QStringLiteral(
                                 "upstreams:\n"
                                 "  - name: one\n"
                                 "    servers: [%1]\n"
                                 "    keepalive: 64\n"
                                 "  - name: rr\n"
                                 "    servers: [%1, %2]\n"
                                 "    balance: round_robin\n"
                                 "  - name: lc\n"
                                 "    servers: [%1, %2]\n"
                                 "    balance: least_conn\n"
                                 "  - name: down\n"
                                 "    servers: [%3]\n"
                                 "    connect_timeout: 1s\n"
                                 "  - name: slow\n"
                                 "    servers: [%1]\n"
                                 "    response_timeout: 500ms\n"
                                 "  - name: half\n"
                                 "    servers: [127.0.0.1:%4, %1]\n"
                                 "    balance: round_robin\n"
                                 "    max_fails: 2\n"
                                 "    fail_timeout: 60s\n"
                                 "  - name: post_half\n"
                                 "    servers: [%3, %2]\n"
                                 "    balance: round_robin\n"
                                 "    max_fails: 1000\n"
                                 "routes:\n"
                                 "  - { name: rr, match: { host: rr.test }, upstream: rr }\n"
                                 "  - { name: lc, match: { host: lc.test }, upstream: lc }\n"
                                 "  - { name: down, match: { host: down.test }, upstream: down }\n"
                                 "  - { name: slow, match: { host: slow.test }, upstream: slow }\n"
                                 "  - { name: half, match: { host: half.test }, upstream: half }\n"
                                 "  - { name: post_half, match: { host: post.test }, upstream: post_half }\n"
                                 "  - { name: one, match: { path_prefix: / }, upstream: one }\n")
                                 .arg(a_.address(), b_.address(), unusedAddress())
                                 .arg(half_dead_port_);
    QVERIFY2(node_.start(nodeConfig(sections)), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
    QVERIFY(port_ > 0);
  }

  void forwardedHeadersAreAdded() {
    const HttpResponse response = get("app.test", "/echo-headers");
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("X-Origin-Id"), QByteArray("A"));
    const HeaderList upstream = echoedHeaders(response);
    QCOMPARE(values(upstream, "X-Forwarded-For"), QList<QByteArray>{"127.0.0.1"});
    QCOMPARE(values(upstream, "X-Forwarded-Proto"), QList<QByteArray>{"http"});
    QCOMPARE(values(upstream, "Via"), QList<QByteArray>{"1.1 sluice"});
    const QList<QByteArray> ids = values(upstream, "X-Request-ID");
    QCOMPARE(ids.size(), 1);
    QVERIFY2(isGeneratedId(ids.first()), ids.first().constData());
    // The client gets the same id back, and the Via of the node.
    QCOMPARE(response.header("X-Request-ID"), ids.first());
    QVERIFY2(response.header("Via").contains("1.1 sluice"), response.header("Via").constData());
  }

  void forwardedForIsAppended() {
    const HttpResponse response = get("app.test", "/echo-headers", {{"X-Forwarded-For", "10.0.0.1"}});
    QCOMPARE(response.status, 200);
    QCOMPARE(values(echoedHeaders(response), "X-Forwarded-For"), QList<QByteArray>{"10.0.0.1, 127.0.0.1"});
  }

  void validRequestIdIsKept() {
    const QByteArray id = "Req-1.2_3:abc";
    const HttpResponse response = get("app.test", "/echo-headers", {{"X-Request-ID", id}});
    QCOMPARE(response.status, 200);
    QCOMPARE(values(echoedHeaders(response), "X-Request-ID"), QList<QByteArray>{id});
    QCOMPARE(response.header("X-Request-ID"), id);
    const QByteArray longest(128, 'z');
    QCOMPARE(get("app.test", "/", {{"X-Request-ID", longest}}).header("X-Request-ID"), longest);
  }

  void invalidRequestIdIsReplaced_data() {
    QTest::addColumn<QByteArray>("id");
    QTest::newRow("too long") << QByteArray(129, 'a');
    QTest::newRow("slash") << QByteArray("a/b");
    QTest::newRow("space") << QByteArray("a b");
    QTest::newRow("quote") << QByteArray("a\"b");
    QTest::newRow("empty") << QByteArray("");
  }

  void invalidRequestIdIsReplaced() {
    QFETCH(QByteArray, id);
    const HttpResponse response = get("app.test", "/echo-headers", {{"X-Request-ID", id}});
    QCOMPARE(response.status, 200);
    const QList<QByteArray> upstream = values(echoedHeaders(response), "X-Request-ID");
    QCOMPARE(upstream.size(), 1);
    QVERIFY2(isGeneratedId(upstream.first()), upstream.first().constData());
    QCOMPARE(response.header("X-Request-ID"), upstream.first());
  }

  void hopByHopHeadersAreRemoved() {
    const HttpResponse response = get("app.test", "/echo-headers",
                                      {{"Connection", "keep-alive, X-Custom-Hop"},
                                       {"Keep-Alive", "timeout=5"},
                                       {"Proxy-Connection", "keep-alive"},
                                       {"TE", "trailers"},
                                       {"Trailer", "X-Checksum"},
                                       {"Upgrade", "foo/1"},
                                       {"Proxy-Authorization", "Basic Zm9vOmJhcg=="},
                                       {"X-Custom-Hop", "secret"},
                                       {"X-End-To-End", "kept"}});
    QCOMPARE(response.status, 200);
    const HeaderList upstream = echoedHeaders(response);
    for (const QByteArray name : {"Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Upgrade",
                                  "Proxy-Authorization", "X-Custom-Hop"}) {
      QVERIFY2(values(upstream, name).isEmpty(), name.constData());
    }
    for (const QByteArray& value : values(upstream, "Connection")) {
      QVERIFY2(!value.toLower().contains("x-custom-hop"), value.constData());
    }
    QCOMPARE(values(upstream, "X-End-To-End"), QList<QByteArray>{"kept"});
  }

  void upstreamConnectionsAreReused() {
    OriginProcess origin;
    QVERIFY(origin.start(QStringLiteral("reuse")));
    NodeProcess node;
    QVERIFY2(node.start(singleOriginConfig(origin, 64)), qPrintable(node.output()));
    const int port = node.port(QStringLiteral("plain"));
    for (int i = 0; i < 50; ++i) {
      const HttpResponse response = RawHttpClient::exchange(port, buildRequest("GET", "/"));
      QVERIFY2(response.status == 200, qPrintable(response.describe()));
    }
    QCOMPARE(origin.requests(), 50);
    // One connection of the 1 + N accepted is this /stats probe itself.
    const qint64 node_connections = origin.connectionsAccepted() - 1;
    QVERIFY2(node_connections <= 2, qPrintable(QString::number(node_connections)));
  }

  // keepalive is a floor: idle connections are kept up to the recent peak of requests in flight,
  // so repeated bursts above `keepalive` reuse connections instead of opening new ones each time.
  void poolKeepsConnectionsForTheRecentPeak() {
    OriginProcess origin;
    QVERIFY(origin.start(QStringLiteral("peak")));
    NodeProcess node;
    QVERIFY2(node.start(singleOriginConfig(origin, 2)), qPrintable(node.output()));
    const int port = node.port(QStringLiteral("plain"));
    constexpr int kBurst = 10;
    for (int round = 0; round < 3; ++round) {
      std::vector<std::unique_ptr<RawHttpClient>> clients;
      for (int i = 0; i < kBurst; ++i) {
        auto client = std::make_unique<RawHttpClient>();
        QVERIFY(client->connect(port));
        QVERIFY(client->send(buildRequest("GET", "/delay/300")));
        clients.push_back(std::move(client));
      }
      for (auto& client : clients) {
        QCOMPARE(client->readResponse(5000).status, 200);
      }
    }
    QCOMPARE(origin.requests(), 3 * kBurst);
    // Rounds 2 and 3 reuse round 1's connections (a fixed cap of 2 would open 8 more per round).
    const qint64 node_connections = origin.connectionsAccepted() - 1;  // minus the /stats probe
    QVERIFY2(node_connections <= kBurst + 2, qPrintable(QString::number(node_connections)));
  }

  void keepaliveZeroTurnsReuseOff() {
    OriginProcess origin;
    QVERIFY(origin.start(QStringLiteral("noreuse")));
    NodeProcess node;
    QVERIFY2(node.start(singleOriginConfig(origin, 0)), qPrintable(node.output()));
    const int port = node.port(QStringLiteral("plain"));
    for (int i = 0; i < 5; ++i) {
      QCOMPARE(RawHttpClient::exchange(port, buildRequest("GET", "/")).status, 200);
    }
    // Read first: each /stats probe is a connection of its own, counted before it answers.
    const qint64 node_connections = origin.connectionsAccepted() - 1;
    QCOMPARE(node_connections, qint64{5});
    QCOMPARE(origin.requests(), 5);
  }

  void roundRobinAlternates() {
    QByteArray previous;
    int a = 0;
    int b = 0;
    for (int i = 0; i < 6; ++i) {
      const HttpResponse response = get("rr.test", "/");
      QCOMPARE(response.status, 200);
      const QByteArray id = response.header("X-Origin-Id");
      QVERIFY2(id != previous, qPrintable(QStringLiteral("request %1 went to %2 again").arg(i).arg(id)));
      previous = id;
      (id == "A" ? a : b) += 1;
    }
    QCOMPARE(a, 3);
    QCOMPARE(b, 3);
  }

  void leastConnPrefersIdleServer() {
    const qint64 before = a_.requests() + b_.requests();
    RawHttpClient busy;
    QVERIFY(busy.connect(port_));
    QVERIFY(busy.send(buildRequest("GET", "/delay/1500", {}, {}, "lc.test")));
    QVERIFY(waitUntil([&] { return a_.requests() + b_.requests() == before + 1; }, 3000));
    // Both of these must go to the idle server; round robin would send the second to the busy one.
    const HttpResponse second = get("lc.test", "/");
    const HttpResponse third = get("lc.test", "/");
    const HttpResponse first = busy.readResponse(5000);
    QCOMPARE(first.status, 200);
    QCOMPARE(second.status, 200);
    QCOMPARE(third.status, 200);
    QVERIFY(first.header("X-Origin-Id") != second.header("X-Origin-Id"));
    QCOMPARE(third.header("X-Origin-Id"), second.header("X-Origin-Id"));
  }

  void upstreamDownIs502() {
    QElapsedTimer timer;
    timer.start();
    const HttpResponse response = get("down.test", "/");
    QVERIFY2(response.status == 502, qPrintable(response.describe()));
    QVERIFY(timer.elapsed() < 3000);
  }

  void responseTimeoutIs504() {
    QElapsedTimer timer;
    timer.start();
    const HttpResponse response = get("slow.test", "/hang");
    QVERIFY2(response.status == 504, qPrintable(response.describe()));
    QVERIFY2(timer.elapsed() >= 400 && timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
  }

  void postIsNotRetried() {
    const qint64 before = b_.requests();
    int ok = 0;
    int bad_gateway = 0;
    for (int i = 0; i < 4; ++i) {
      const HttpResponse response =
          RawHttpClient::exchange(port_, buildRequest("POST", "/upload", {}, "payload", "post.test"));
      (response.status == 200 ? ok : bad_gateway) += 1;
      QVERIFY2(response.status == 200 || response.status == 502, qPrintable(response.describe()));
    }
    // Round robin over [dead, B]: the POSTs sent to the dead server fail instead of moving to B.
    QCOMPARE(ok, 2);
    QCOMPARE(bad_gateway, 2);
    QCOMPARE(b_.requests(), before + 2);
  }

  void getIsRetriedOnOtherServer() {
    for (int i = 0; i < 6; ++i) {
      const HttpResponse response = get("half.test", "/");
      QVERIFY2(response.status == 200, qPrintable(response.describe()));
      QCOMPARE(response.header("X-Origin-Id"), QByteArray("A"));
    }
  }

  void deadServerIsSkippedAfterMaxFails() {
    // getIsRetriedOnOtherServer ran first: the dead server has failed at least max_fails (2) times
    // and is now skipped for fail_timeout (60 s). Bring something up on its port: the node must not
    // connect to it before fail_timeout.
    for (int i = 0; i < 4; ++i) {
      QCOMPARE(get("half.test", "/").status, 200);
    }
    OriginProcess late;
    QVERIFY(late.start(QStringLiteral("late"), half_dead_port_));
    for (int i = 0; i < 6; ++i) {
      const HttpResponse response = get("half.test", "/");
      QCOMPARE(response.status, 200);
      QCOMPARE(response.header("X-Origin-Id"), QByteArray("A"));
    }
    QCOMPARE(late.connectionsAccepted(), 1);  // only this /stats probe
  }
};

QTEST_GUILESS_MAIN(ProxyTest)
#include "proxy_test.moc"
