// Exact counts through the real binary: two workers, 16 connections at once hammering one key;
// each algorithm lets exactly `limit` (token bucket: limit + burst) requests through, and /stats
// counts the same. Windows are long (hours), so nothing refills during the test on a slow machine.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/parallel_requests.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

namespace {

constexpr int kConnections = 16;
constexpr int kPerConnection = 40;  // 640 requests per case

QJsonObject policyStats(int admin, const QString& name) {
  const HttpResponse r = RawHttpClient::exchange(admin, buildRequest("GET", "/stats"));
  for (const QJsonValue& v : QJsonDocument::fromJson(r.body).object().value("rate_limits").toArray()) {
    if (v.toObject().value("name").toString() == name) {
      return v.toObject();
    }
  }
  return {};
}

}  // namespace

class RateLimitExactTest : public QObject {
  Q_OBJECT

 private:
  NodeProcess node_;
  int port_ = -1;

  void hammer(const QByteArray& path, int expected_ok, const QString& policy) {
    const ParallelResult r =
        sendInParallel(port_, kConnections, kPerConnection, [&](int, int) { return buildRequest("GET", path); });
    QCOMPARE(r.failures, 0);
    QCOMPARE(r.count(200), expected_ok);
    QCOMPARE(r.count(429), kConnections * kPerConnection - expected_ok);
    QJsonObject stats;
    const bool counted = waitUntil(
        [&] {
          stats = policyStats(node_.adminPort(), policy);
          return stats.value("allowed_total").toInt() + stats.value("limited_total").toInt() ==
                 kConnections * kPerConnection;
        },
        5000, 100);
    QVERIFY2(counted, QJsonDocument(stats).toJson().constData());
    QCOMPARE(stats.value("allowed_total").toInt(), expected_ok);
    QCOMPARE(stats.value("limited_total").toInt(), kConnections * kPerConnection - expected_ok);
  }

 private slots:
  void initTestCase() {
    const QString sections = QStringLiteral(
        "rate_limits:\n"
        "  - { name: fixed, algorithm: fixed_window, key: route, limit: 300, window: 10h }\n"
        "  - { name: sliding, algorithm: sliding_window, key: route, limit: 222, window: 10h }\n"
        "  - { name: bucket, algorithm: token_bucket, key: route, limit: 200, burst: 50, window: 10h }\n"
        "  - { name: per_ip, algorithm: token_bucket, key: client_ip, limit: 123, window: 10h }\n"
        "routes:\n"
        "  - { name: fixed, match: { path_exact: /fixed }, respond: { body: ok }, rate_limits: [fixed] }\n"
        "  - { name: sliding, match: { path_exact: /sliding }, respond: { body: ok }, rate_limits: [sliding] }\n"
        "  - { name: bucket, match: { path_exact: /bucket }, respond: { body: ok }, rate_limits: [bucket] }\n"
        "  - { name: per_ip, match: { path_exact: /ip }, respond: { body: ok }, rate_limits: [per_ip] }\n");
    QVERIFY2(node_.start(nodeConfig(sections, {.workers = 2})), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
  }

  void fixedWindowCountsExactly() { hammer("/fixed", 300, QStringLiteral("fixed")); }
  void slidingWindowCountsExactly() { hammer("/sliding", 222, QStringLiteral("sliding")); }
  void tokenBucketCountsLimitPlusBurst() { hammer("/bucket", 250, QStringLiteral("bucket")); }
  void clientIpCountsExactly() { hammer("/ip", 123, QStringLiteral("per_ip")); }
};

QTEST_GUILESS_MAIN(RateLimitExactTest)
#include "rate_limit_exact_test.moc"
