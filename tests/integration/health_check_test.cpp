// Active health checks through the real binary (docs/resilience.md, "Active health checks"): a
// server whose /health fails `fall` times in a row gets no more requests, one that passes `rise`
// times comes back; upstreams.list, the stats snapshot and /metrics show the state; every server
// down answers 503; a reload that removes the check makes the server usable again.

#include <signal.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

#include "tests/support/ctl_command.h"
#include "tests/support/metrics_reader.h"
#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/origin_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

class HealthCheckTest : public QObject {
  Q_OBJECT

 private:
  OriginProcess a_;
  OriginProcess b_;
  NodeProcess node_;
  int port_ = -1;

  QString sections(bool checked) const {
    return QStringLiteral(
               "upstreams:\n"
               "  - name: api\n"
               "    servers: [%1, %2]\n"
               "%3"
               "routes:\n"
               "  - { name: api, upstream: api }\n")
        .arg(a_.address(), b_.address(),
             checked ? QStringLiteral("    health_check: { path: /health, interval: 100ms, timeout: 500ms,\n"
                                      "                    expect: [200, \"3xx\"], rise: 2, fall: 2 }\n")
                     : QString());
  }

  HttpResponse get() { return RawHttpClient::exchange(port_, buildRequest("GET", "/")); }
  void originGet(const OriginProcess& origin, const QByteArray& target) {
    QCOMPARE(RawHttpClient::exchange(origin.port(), buildRequest("GET", target)).status, 200);
  }
  // True when `count` requests in a row were all answered by `id`.
  bool allFrom(const QByteArray& id, int count = 6) {
    for (int i = 0; i < count; ++i) {
      if (get().header("X-Origin-Id") != id) {
        return false;
      }
    }
    return true;
  }
  // The server's `health` in upstreams.list.
  QString listedHealth(const OriginProcess& origin) {
    const CommandResult r = runCtl(node_, {QStringLiteral("--json"), QStringLiteral("upstreams"), QStringLiteral("list")});
    for (const QJsonValue& u : jsonOut(r).object().value(QStringLiteral("upstreams")).toArray()) {
      for (const QJsonValue& s : u.toObject().value(QStringLiteral("servers")).toArray()) {
        if (s.toObject().value(QStringLiteral("address")).toString() == origin.address()) {
          return s.toObject().value(QStringLiteral("health")).toString();
        }
      }
    }
    return QString();
  }

 private slots:
  void initTestCase() {
    QVERIFY(a_.start(QStringLiteral("A")));
    QVERIFY(b_.start(QStringLiteral("B")));
    QVERIFY2(node_.start(nodeConfig(sections(true))), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
  }

  void bothServeWhileHealthy() {
    QVERIFY(waitUntil([&] { return listedHealth(a_) == QLatin1String("up"); }, 5000));
    QSet<QByteArray> seen;
    for (int i = 0; i < 4; ++i) {
      seen.insert(get().header("X-Origin-Id"));
    }
    QCOMPARE(seen, (QSet<QByteArray>{"A", "B"}));
  }

  void fallTakesAServerOut() {
    originGet(a_, "/_fault/unhealthy");
    QVERIFY(node_.waitForOutput(QStringLiteral("is down (health check failed 2 times; last: status 503)")));
    QVERIFY(allFrom("B", 10));
    QVERIFY(waitUntil([&] { return listedHealth(a_) == QLatin1String("down"); }, 3000));
    QCOMPARE(listedHealth(b_), QStringLiteral("up"));
    const QByteArray series =
        "sluice_upstream_server_health_down{upstream=\"api\",server=\"" + a_.address().toUtf8() + "\"}";
    QVERIFY(waitForMetric(node_.adminPort(), series, 1.0));
  }

  void riseBringsItBack() {
    originGet(a_, "/_fault/healthy");
    QVERIFY(node_.waitForOutput(QStringLiteral("is up (health check passed 2 times)")));
    QVERIFY(waitUntil([&] {
      QSet<QByteArray> seen;
      for (int i = 0; i < 4; ++i) {
        seen.insert(get().header("X-Origin-Id"));
      }
      return seen.contains("A") && seen.contains("B");
    }, 3000));
  }

  void everyServerDownIs503() {
    originGet(a_, "/_fault/unhealthy");
    originGet(b_, "/_fault/unhealthy");
    QVERIFY(waitUntil([&] { return get().status == 503; }, 3000));
    const HttpResponse r = get();
    QCOMPARE(r.status, 503);
    QVERIFY(r.header("X-Origin-Id").isEmpty());
    QVERIFY(waitUntil([&] {
      return metricValue(node_.adminPort(), "sluice_upstream_rejected_total{reason=\"unhealthy\"}") >= 2;
    }, 3000));
  }

  void reloadWithoutTheCheckServesAgain() {
    QVERIFY(node_.writeConfig(nodeConfig(sections(false))));
    QVERIFY(node_.sendSignal(SIGHUP));
    QVERIFY(waitUntil([&] { return get().status == 200; }, 5000));
    QVERIFY(waitUntil([&] { return listedHealth(a_) == QLatin1String("unchecked"); }, 3000));
    originGet(a_, "/_fault/healthy");
    originGet(b_, "/_fault/healthy");
  }

  void cleanupTestCase() { QCOMPARE(node_.stop(), 0); }
};

QTEST_GUILESS_MAIN(HealthCheckTest)
#include "health_check_test.moc"
