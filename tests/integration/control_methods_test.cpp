// The control socket's methods against a running node: hello, stats (get, subscribe, unsubscribe,
// history), routes.list, upstreams (list, drain, undrain) and cache.purge, with their errors and
// audit lines.

#include <unistd.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

#include "tests/support/cache_fixture.h"
#include "tests/support/control_client.h"
#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/origin_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

namespace {

QJsonObject resultOf(const QJsonObject& reply) {
  return reply.value(QStringLiteral("result")).toObject();
}
QString errorCode(const QJsonObject& reply) {
  return reply.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
}
QString errorMessage(const QJsonObject& reply) {
  return reply.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString();
}
QByteArray show(const QJsonObject& object) {
  return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

}  // namespace

class ControlMethodsTest : public QObject {
  Q_OBJECT

 private:
  OriginProcess origin_;
  NodeProcess node_;
  QString dead_;  // an upstream server nobody listens on
  int port_ = -1;

  QString socketPath() const { return node_.tempPath() + QStringLiteral("/control.sock"); }

  bool isHit(const QByteArray& target) {
    return cacheRequest(port_, target).header("Cache-Status").startsWith("sluice; hit");
  }

 private slots:
  void initTestCase() {
    QVERIFY(origin_.start());
    dead_ = unusedAddress();
    const QString sections = QStringLiteral(
                                 "upstreams:\n"
                                 "  - name: origin\n"
                                 "    servers: [%1]\n"
                                 "  - name: pair\n"
                                 "    servers: [%1, %2]\n"
                                 "    balance: least_conn\n"
                                 "routes:\n"
                                 "  - { name: status, match: { path_exact: /status }, handler: status }\n"
                                 "  - { name: fixed, match: { host: fixed.test, path_prefix: /f/ }, respond: { body: f } }\n"
                                 "  - name: app\n"
                                 "    match: { path_prefix: / }\n"
                                 "    upstream: origin\n"
                                 "    cache: p\n"
                                 "    rate_limits: [wide]\n"
                                 "rate_limits:\n"
                                 "  - { name: wide, limit: 100000, window: 1s }\n"
                                 "cache_policies:\n"
                                 "  - { name: p, default_ttl: 30s, max_ttl: 1h }\n"
                                 "cache: { path: \"${TMP}/cache\", max_size: 64MiB }\n")
                                 .arg(origin_.address(), dead_);
    QVERIFY2(node_.start(nodeConfig(sections)), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
    QVERIFY(node_.output().contains(QStringLiteral("control socket listening on ") + socketPath()));
  }

  void hello() {
    ControlClient client;
    QVERIFY2(client.connect(socketPath()), qPrintable(client.lastError()));
    const QJsonObject reply = client.call(QStringLiteral("hello"));
    const QJsonObject r = resultOf(reply);
    QVERIFY2(!r.isEmpty(), show(reply));
    QVERIFY(!r.value(QStringLiteral("version")).toString().isEmpty());
    QVERIFY(!r.value(QStringLiteral("node")).toString().isEmpty());
    QCOMPARE(r.value(QStringLiteral("pid")).toInteger(), node_.pid());
    QVERIFY(r.value(QStringLiteral("uptime_s")).toDouble() > 0);
    QCOMPARE(r.value(QStringLiteral("config_version")).toInt(), 1);
    QCOMPARE(r.value(QStringLiteral("config_source")).toString(), node_.configPath());
    QCOMPARE(r.value(QStringLiteral("persisted")).toBool(), true);
    QCOMPARE(r.value(QStringLiteral("peer_uid")).toInteger(), qint64(::getuid()));
  }

  // String ids are echoed as given.
  void stringIdIsEchoed() {
    ControlClient client;
    QVERIFY(client.connect(socketPath()));
    QVERIFY(client.sendLine(R"({"id":"abc-1","method":"hello"})"));
    const auto reply = client.readJson();
    QVERIFY(reply);
    QCOMPARE(reply->value(QStringLiteral("id")).toString(), QStringLiteral("abc-1"));
    QVERIFY(reply->contains(QStringLiteral("result")));
  }

  void statsGetCountsRequests() {
    for (int i = 0; i < 3; ++i) {
      QCOMPARE(RawHttpClient::exchange(port_, buildRequest("GET", "/f/x", {}, {}, "fixed.test")).status, 200);
    }
    ControlClient client;
    QVERIFY(client.connect(socketPath()));
    QJsonObject snapshot;
    const bool counted = waitUntil(
        [&] {
          snapshot = resultOf(client.call(QStringLiteral("stats.get")));
          for (const QJsonValue& route : snapshot.value(QStringLiteral("routes")).toArray()) {
            if (route.toObject().value(QStringLiteral("name")).toString() == QStringLiteral("fixed")) {
              return route.toObject().value(QStringLiteral("requests_total")).toInt() == 3;
            }
          }
          return false;
        },
        5000, 100);
    QVERIFY2(counted, show(snapshot).left(2000));
    QVERIFY(snapshot.contains(QStringLiteral("time_unix_ms")));
    QVERIFY(snapshot.value(QStringLiteral("totals")).toObject().contains(QStringLiteral("latency_ms")));
    // The process figures are in every snapshot.
    const QJsonObject process = snapshot.value(QStringLiteral("process")).toObject();
    QVERIFY2(process.value(QStringLiteral("rss_bytes")).toDouble() > 1e6, show(process));
    QVERIFY(process.value(QStringLiteral("cpu_seconds_total")).toDouble() >= 0);
    QVERIFY(process.value(QStringLiteral("cpu_percent")).toDouble() >= 0);
  }

  void subscribeStreamsOneSnapshotPerSecond() {
    ControlClient client;
    QVERIFY(client.connect(socketPath()));
    const QJsonObject reply = client.call(QStringLiteral("stats.subscribe"));
    QCOMPARE(resultOf(reply).value(QStringLiteral("subscribed")).toBool(), true);
    std::optional<QJsonObject> first = client.nextEvent(3000);
    QVERIFY2(first, qPrintable(client.lastError()));
    std::optional<QJsonObject> second = client.nextEvent(3000);
    QVERIFY2(second, qPrintable(client.lastError()));
    QCOMPARE(first->value(QStringLiteral("event")).toString(), QStringLiteral("stats"));
    const double t1 = first->value(QStringLiteral("data")).toObject().value(QStringLiteral("time_unix_ms")).toDouble();
    const double t2 = second->value(QStringLiteral("data")).toObject().value(QStringLiteral("time_unix_ms")).toDouble();
    QVERIFY2(t2 - t1 > 800 && t2 - t1 < 1500, qPrintable(QString::number(t2 - t1)));

    // After unsubscribe: the reply, then no more events.
    const QJsonObject off = client.call(QStringLiteral("stats.unsubscribe"));
    QCOMPARE(resultOf(off).value(QStringLiteral("subscribed")).toBool(), false);
    while (client.keptEvents() > 0) {
      client.nextEvent(0);  // those that came before the reply
    }
    QVERIFY(!client.nextEvent(2500));
  }

  void historyIsOldestFirst() {
    ControlClient client;
    QVERIFY(client.connect(socketPath()));
    QJsonArray snapshots;
    QVERIFY(waitUntil(
        [&] {
          snapshots = resultOf(client.call(QStringLiteral("stats.history"))).value(QStringLiteral("snapshots")).toArray();
          return snapshots.size() >= 3;
        },
        5000, 200));
    for (qsizetype i = 1; i < snapshots.size(); ++i) {
      QVERIFY(snapshots[i].toObject().value(QStringLiteral("time_unix_ms")).toDouble() >
              snapshots[i - 1].toObject().value(QStringLiteral("time_unix_ms")).toDouble());
    }
    const QJsonObject latest = resultOf(client.call(QStringLiteral("stats.get")));
    const QJsonArray two =
        resultOf(client.call(QStringLiteral("stats.history"), {{QStringLiteral("seconds"), 2}}))
            .value(QStringLiteral("snapshots"))
            .toArray();
    QCOMPARE(two.size(), 2);
    // The newest of the history is the one stats.get returns (no tick in between, or one more).
    QVERIFY(two[1].toObject().value(QStringLiteral("time_unix_ms")).toDouble() >=
            latest.value(QStringLiteral("time_unix_ms")).toDouble());

    const QJsonObject bad = client.call(QStringLiteral("stats.history"), {{QStringLiteral("seconds"), QStringLiteral("ten")}});
    QCOMPARE(errorCode(bad), QStringLiteral("bad_request"));
    QVERIFY2(errorMessage(bad).contains(QStringLiteral("'seconds'")), show(bad));
    const QJsonObject negative = client.call(QStringLiteral("stats.history"), {{QStringLiteral("seconds"), -1}});
    QCOMPARE(errorCode(negative), QStringLiteral("bad_request"));
  }

  void routesList() {
    ControlClient client;
    QVERIFY(client.connect(socketPath()));
    const QJsonObject reply = client.call(QStringLiteral("routes.list"));
    const QJsonArray routes = resultOf(reply).value(QStringLiteral("routes")).toArray();
    QCOMPARE(routes.size(), 3);
    const QJsonObject status = routes[0].toObject();
    QCOMPARE(status.value(QStringLiteral("name")).toString(), QStringLiteral("status"));
    QCOMPARE(status.value(QStringLiteral("handler")).toString(), QStringLiteral("status"));
    QCOMPARE(status.value(QStringLiteral("match")).toObject(),
             (QJsonObject{{QStringLiteral("path_exact"), QStringLiteral("/status")}}));
    QVERIFY(status.value(QStringLiteral("upstream")).isNull());
    QVERIFY(status.value(QStringLiteral("cache")).isNull());
    const QJsonObject fixed = routes[1].toObject();
    QCOMPARE(fixed.value(QStringLiteral("handler")).toString(), QStringLiteral("respond"));
    QCOMPARE(fixed.value(QStringLiteral("match")).toObject(),
             (QJsonObject{{QStringLiteral("host"), QStringLiteral("fixed.test")},
                          {QStringLiteral("path_prefix"), QStringLiteral("/f/")}}));
    const QJsonObject app = routes[2].toObject();
    QCOMPARE(app.value(QStringLiteral("handler")).toString(), QStringLiteral("proxy"));
    QCOMPARE(app.value(QStringLiteral("upstream")).toString(), QStringLiteral("origin"));
    QCOMPARE(app.value(QStringLiteral("cache")).toString(), QStringLiteral("p"));
    QCOMPARE(app.value(QStringLiteral("rate_limits")).toArray(), (QJsonArray{QStringLiteral("wide")}));
  }

  void upstreamsListDrainUndrain() {
    // One request through `origin`, so that its server has a total.
    QCOMPARE(RawHttpClient::exchange(port_, buildRequest("GET", "/echo")).status, 200);
    ControlClient client;
    QVERIFY(client.connect(socketPath()));
    QJsonArray upstreams;
    const auto serverOf = [&](int u, int s) {
      return upstreams[u].toObject().value(QStringLiteral("servers")).toArray()[s].toObject();
    };
    QVERIFY(waitUntil(
        [&] {
          upstreams = resultOf(client.call(QStringLiteral("upstreams.list"))).value(QStringLiteral("upstreams")).toArray();
          return upstreams.size() == 2 && serverOf(0, 0).value(QStringLiteral("requests_total")).toInt() >= 1;
        },
        5000, 100));
    QCOMPARE(upstreams[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("origin"));
    QCOMPARE(upstreams[0].toObject().value(QStringLiteral("balance")).toString(), QStringLiteral("round_robin"));
    QCOMPARE(upstreams[1].toObject().value(QStringLiteral("balance")).toString(), QStringLiteral("least_conn"));
    QCOMPARE(serverOf(0, 0).value(QStringLiteral("address")).toString(), origin_.address());
    QCOMPARE(serverOf(0, 0).value(QStringLiteral("drained")).toBool(), false);
    QCOMPARE(serverOf(0, 0).value(QStringLiteral("down")).toBool(), false);
    QCOMPARE(serverOf(0, 0).value(QStringLiteral("failures_total")).toInt(), 0);
    QCOMPARE(serverOf(1, 1).value(QStringLiteral("address")).toString(), dead_);

    const QJsonObject target{{QStringLiteral("upstream"), QStringLiteral("pair")}, {QStringLiteral("server"), dead_}};
    QCOMPARE(resultOf(client.call(QStringLiteral("upstreams.drain"), target)).value(QStringLiteral("drained")).toBool(), true);
    upstreams = resultOf(client.call(QStringLiteral("upstreams.list"))).value(QStringLiteral("upstreams")).toArray();
    QCOMPARE(serverOf(1, 1).value(QStringLiteral("drained")).toBool(), true);
    QCOMPARE(serverOf(1, 0).value(QStringLiteral("drained")).toBool(), false);
    QVERIFY(node_.waitForOutput(QStringLiteral("control: audit uid=%1 pid=").arg(::getuid())));
    QVERIFY(node_.waitForOutput(QStringLiteral("upstreams.drain pair ") + dead_));

    const QJsonObject undrain = client.call(QStringLiteral("upstreams.undrain"), target);
    QCOMPARE(resultOf(undrain).value(QStringLiteral("drained")).toBool(), false);
    upstreams = resultOf(client.call(QStringLiteral("upstreams.list"))).value(QStringLiteral("upstreams")).toArray();
    QCOMPARE(serverOf(1, 1).value(QStringLiteral("drained")).toBool(), false);
  }

  void drainErrors() {
    ControlClient client;
    QVERIFY(client.connect(socketPath()));
    const QJsonObject no_upstream = client.call(
        QStringLiteral("upstreams.drain"),
        {{QStringLiteral("upstream"), QStringLiteral("nope")}, {QStringLiteral("server"), origin_.address()}});
    QCOMPARE(errorCode(no_upstream), QStringLiteral("not_found"));
    QCOMPARE(errorMessage(no_upstream), QStringLiteral("no upstream 'nope'"));
    const QJsonObject no_server = client.call(
        QStringLiteral("upstreams.undrain"),
        {{QStringLiteral("upstream"), QStringLiteral("origin")}, {QStringLiteral("server"), QStringLiteral("10.9.9.9:1")}});
    QCOMPARE(errorCode(no_server), QStringLiteral("not_found"));
    QCOMPARE(errorMessage(no_server), QStringLiteral("upstream 'origin' has no server '10.9.9.9:1'"));
    const QJsonObject missing = client.call(QStringLiteral("upstreams.drain"), {{QStringLiteral("upstream"), QStringLiteral("origin")}});
    QCOMPARE(errorCode(missing), QStringLiteral("bad_request"));
    QCOMPARE(errorMessage(missing), QStringLiteral("'server' is required"));
    const QJsonObject wrong_type = client.call(QStringLiteral("upstreams.drain"),
                                               {{QStringLiteral("upstream"), 5}, {QStringLiteral("server"), dead_}});
    QCOMPARE(errorCode(wrong_type), QStringLiteral("bad_request"));
    QCOMPARE(errorMessage(wrong_type), QStringLiteral("'upstream' must be a string"));
  }

  void cachePurge() {
    const QByteArray a = cacheTarget("ctl/a", {{"cc", "max-age=60"}, {"tag", "red"}});
    const QByteArray b = cacheTarget("ctl/b", {{"cc", "max-age=60"}});
    for (const QByteArray& target : {a, b}) {
      cacheRequest(port_, target);
      QVERIFY(waitUntil([&] { return isHit(target); }, 5000));
    }
    ControlClient client;
    QVERIFY(client.connect(socketPath()));
    const QJsonObject by_tag = client.call(QStringLiteral("cache.purge"), {{QStringLiteral("tag"), QStringLiteral("red")}});
    QCOMPARE(resultOf(by_tag).value(QStringLiteral("purged")).toInt(), 1);
    QVERIFY(!isHit(a));
    QVERIFY(isHit(b));
    const QJsonObject by_url = client.call(QStringLiteral("cache.purge"),
                                           {{QStringLiteral("url"), QString::fromLatin1("http://cache.test" + b)}});
    QCOMPARE(resultOf(by_url).value(QStringLiteral("purged")).toInt(), 1);
    QVERIFY(!isHit(b));
    QVERIFY(node_.waitForOutput(QStringLiteral("cache.purge tag red")));
    const QJsonObject all = client.call(QStringLiteral("cache.purge"), {{QStringLiteral("all"), true}});
    QVERIFY2(resultOf(all).contains(QStringLiteral("purged")), show(all));
  }

  void cachePurgeErrors_data() {
    QTest::addColumn<QJsonObject>("params");
    QTest::addColumn<QString>("message");
    QTest::newRow("none") << QJsonObject{} << QStringLiteral("give exactly one of 'url', 'prefix', 'tag' or 'all'");
    QTest::newRow("two") << QJsonObject{{QStringLiteral("tag"), QStringLiteral("x")}, {QStringLiteral("all"), true}}
                         << QStringLiteral("give exactly one of 'url', 'prefix', 'tag' or 'all'");
    QTest::newRow("url type") << QJsonObject{{QStringLiteral("url"), 5}} << QStringLiteral("'url' must be a string");
    QTest::newRow("all false") << QJsonObject{{QStringLiteral("all"), false}} << QStringLiteral("'all' must be true when given");
    QTest::newRow("all string") << QJsonObject{{QStringLiteral("all"), QStringLiteral("yes")}}
                                << QStringLiteral("'all' must be true or false");
    QTest::newRow("not a url") << QJsonObject{{QStringLiteral("prefix"), QStringLiteral("/just/a/path")}}
                               << QStringLiteral("'prefix' must be an http:// or https:// URL with a host");
    QTest::newRow("empty tag") << QJsonObject{{QStringLiteral("tag"), QString()}} << QStringLiteral("'tag' is empty");
  }
  void cachePurgeErrors() {
    QFETCH(QJsonObject, params);
    QFETCH(QString, message);
    ControlClient client;
    QVERIFY(client.connect(socketPath()));
    // An empty QJsonObject sends no params at all.
    const QJsonObject reply = client.call(QStringLiteral("cache.purge"), params);
    QCOMPARE(errorCode(reply), QStringLiteral("bad_request"));
    QCOMPARE(errorMessage(reply), message);
  }

  // A node whose routes use no cache policy has nothing to purge.
  void cachePurgeWithoutCache() {
    NodeProcess plain;
    QVERIFY2(plain.start(nodeConfig(QStringLiteral(
                 "routes:\n  - { name: r, match: { path_prefix: / }, respond: { body: x } }\n"))),
             qPrintable(plain.output()));
    ControlClient client;
    QVERIFY(client.connect(plain.tempPath() + QStringLiteral("/control.sock")));
    const QJsonObject reply = client.call(QStringLiteral("cache.purge"), {{QStringLiteral("all"), true}});
    QCOMPARE(errorCode(reply), QStringLiteral("not_found"));
    QVERIFY2(errorMessage(reply).contains(QStringLiteral("no cache")), show(reply));
  }
};

QTEST_GUILESS_MAIN(ControlMethodsTest)
#include "control_methods_test.moc"
