// mode: dry_run: every request passes, the would-be refusals are counted in /stats and /metrics
// and logged (at most one line per second per policy and worker).

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

class RateLimitDryRunTest : public QObject {
  Q_OBJECT

 private slots:
  void dryRunPassesCountsAndLogs() {
    NodeProcess node;
    const QString sections = QStringLiteral(
        "rate_limits:\n"
        "  - { name: trial, algorithm: fixed_window, key: route, limit: 3, window: 10h, mode: dry_run }\n"
        "routes:\n"
        "  - { name: r, match: { path_exact: /r }, respond: { body: ok }, rate_limits: [trial] }\n");
    QVERIFY2(node.start(nodeConfig(sections, {.workers = 2})), qPrintable(node.output()));
    const int port = node.port(QStringLiteral("plain"));
    for (int i = 0; i < 10; ++i) {
      const HttpResponse r = RawHttpClient::exchange(port, buildRequest("GET", "/r"));
      QCOMPARE(r.status, 200);
      const QByteArray expected = "\"trial\";r=" + QByteArray::number(i < 3 ? 2 - i : 0) + ";t=";
      QVERIFY2(r.header("RateLimit").startsWith(expected), r.header("RateLimit").constData());
    }
    QVERIFY2(node.waitForOutput(QStringLiteral("rate limit trial: dry run: would refuse (rate limit) GET /r on route r "
                                               "from 127.0.0.1")),
             qPrintable(node.output()));

    QJsonObject stats;
    const bool counted = waitUntil(
        [&] {
          const HttpResponse r = RawHttpClient::exchange(node.adminPort(), buildRequest("GET", "/stats"));
          const QJsonArray all = QJsonDocument::fromJson(r.body).object().value("rate_limits").toArray();
          stats = all.isEmpty() ? QJsonObject() : all.at(0).toObject();
          return stats.value("dry_run_limited_total").toInt() == 7;
        },
        5000, 100);
    QVERIFY2(counted, QJsonDocument(stats).toJson().constData());
    QCOMPARE(stats.value("name").toString(), QStringLiteral("trial"));
    QCOMPARE(stats.value("allowed_total").toInt(), 3);
    QCOMPARE(stats.value("limited_total").toInt(), 0);

    const HttpResponse metrics = RawHttpClient::exchange(node.adminPort(), buildRequest("GET", "/metrics"));
    QVERIFY(metrics.body.contains("sluice_rate_limit_decisions_total{policy=\"trial\",result=\"dry_run_limited\"} 7\n"));
    QVERIFY(metrics.body.contains("sluice_rate_limit_decisions_total{policy=\"trial\",result=\"allowed\"} 3\n"));
    QVERIFY(metrics.body.contains("sluice_rate_limit_decisions_total{policy=\"trial\",result=\"limited\"} 0\n"));
    QVERIFY(metrics.body.contains("sluice_rate_limit_keys 1\n"));
    QVERIFY(metrics.body.contains("# TYPE sluice_rate_limit_evictions_total counter"));
  }
};

QTEST_GUILESS_MAIN(RateLimitDryRunTest)
#include "rate_limit_dry_run_test.moc"
