// Circuit breakers through the real binary (docs/resilience.md): a breaker opens after exactly
// `consecutive_failures` failed answers, then answers 503 with Retry-After without touching the
// origin; after `cool_down` at most `half_open_requests` probes reach the origin; `success` good
// probes close it; a failed probe opens it again; state changes are logged and counted; with a
// cache policy's stale_if_error an open breaker serves the stale entry.

#include <QtTest>

#include "tests/support/cache_fixture.h"
#include "tests/support/metrics_reader.h"
#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/origin_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

class CircuitBreakerTest : public QObject {
  Q_OBJECT

 private:
  OriginProcess origin_;
  NodeProcess node_;
  int port_ = -1;

  HttpResponse get(const QByteArray& target) { return RawHttpClient::exchange(port_, buildRequest("GET", target)); }
  void originGet(const QByteArray& target) {
    QCOMPARE(RawHttpClient::exchange(origin_.port(), buildRequest("GET", target)).status, 200);
  }
  double metric(const QByteArray& series) { return metricValue(node_.adminPort(), series); }
  bool waitMetric(const QByteArray& series, double value) { return waitForMetric(node_.adminPort(), series, value); }

 private slots:
  void initTestCase() {
    QVERIFY(origin_.start());
    // max_fails is high so that passive health stays out of the way: the breaker alone decides.
    const QString sections = QStringLiteral(
                                 "upstreams:\n"
                                 "  - name: api\n"
                                 "    servers: [%1]\n"
                                 "    max_fails: 1000\n"
                                 "    circuit_breaker: { consecutive_failures: 3, cool_down: 1500ms,\n"
                                 "                       half_open_requests: 2, success: 2 }\n"
                                 "routes:\n"
                                 "  - { name: api, upstream: api }\n")
                                 .arg(origin_.address());
    QVERIFY2(node_.start(nodeConfig(sections)), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
  }

  void opensAfterExactlyNFailures() {
    originGet("/_fault/fail/1000");
    const qint64 before = origin_.requests();
    for (int i = 0; i < 3; ++i) {
      const HttpResponse r = get("/x");
      QCOMPARE(r.status, 503);
      QCOMPARE(r.body, QByteArray("failing\n"));  // the origin's own answer, passed on
    }
    QCOMPARE(origin_.requests(), before + 3);
    // Open: answered at once by the node, with the cool-down left, and the origin sees nothing.
    for (int i = 0; i < 5; ++i) {
      const HttpResponse r = get("/x");
      QCOMPARE(r.status, 503);
      QVERIFY2(r.header("X-Origin-Id").isEmpty(), qPrintable(r.describe()));
      QVERIFY2(r.header("Retry-After") == "1" || r.header("Retry-After") == "2", qPrintable(r.describe()));
    }
    QCOMPARE(origin_.requests(), before + 3);
    QVERIFY(node_.waitForOutput(QStringLiteral("circuit breaker opened")));
    QVERIFY(waitMetric(R"(sluice_circuit_breaker_changes_total{reason="opened"})", 1.0));
    QVERIFY(waitMetric(R"(sluice_upstream_rejected_total{reason="breaker_open"})", 5.0));
    const QByteArray gauge =
        "sluice_upstream_breaker_open_workers{upstream=\"api\",server=\"" + origin_.address().toUtf8() + "\"}";
    QVERIFY(waitUntil([&] { return metric(gauge) == 1.0; }, 3000));
  }

  void halfOpenLetsAtMostMProbesThrough() {
    // Still failing: after the cool-down the breaker half-opens; two probes in flight at once (slow
    // answers) take both slots, so a third request is refused without reaching the origin.
    originGet("/_fault/clear");
    QTest::qWait(1600);  // the cool-down (1.5 s) has passed (a time, not a condition: nothing to poll)
    const qint64 before = origin_.requests();
    RawHttpClient a;
    RawHttpClient b;
    QVERIFY(a.connect(port_) && b.connect(port_));
    QVERIFY(a.send(buildRequest("GET", "/delay/400")));
    QVERIFY(b.send(buildRequest("GET", "/delay/400")));
    QVERIFY(waitUntil([&] { return origin_.requests() == before + 2; }, 3000));
    const HttpResponse third = get("/x");
    QCOMPARE(third.status, 503);
    QVERIFY(!third.header("Retry-After").isEmpty());
    QCOMPARE(origin_.requests(), before + 2);
    // Both probes succeed: success (2) closes the breaker.
    QCOMPARE(a.readResponse().status, 200);
    QCOMPARE(b.readResponse().status, 200);
    QVERIFY(node_.waitForOutput(QStringLiteral("circuit breaker closed")));
    for (int i = 0; i < 5; ++i) {
      QCOMPARE(get("/x").status, 200);
    }
    QCOMPARE(origin_.requests(), before + 7);
    QVERIFY(waitMetric(R"(sluice_circuit_breaker_changes_total{reason="half_opened"})", 1.0));
    QVERIFY(waitMetric(R"(sluice_circuit_breaker_changes_total{reason="closed"})", 1.0));
  }

  void failedProbeOpensAgain() {
    originGet("/_fault/fail/1000");
    for (int i = 0; i < 3; ++i) {
      QCOMPARE(get("/x").status, 503);
    }
    QVERIFY(waitMetric(R"(sluice_circuit_breaker_changes_total{reason="opened"})", 2.0));
    QTest::qWait(1600);
    const qint64 before = origin_.requests();
    QCOMPARE(get("/x").status, 503);  // the probe: the origin's 503
    QCOMPARE(origin_.requests(), before + 1);
    const HttpResponse r = get("/x");  // open again at once
    QCOMPARE(r.status, 503);
    QVERIFY(!r.header("Retry-After").isEmpty());
    QCOMPARE(origin_.requests(), before + 1);
    QVERIFY(waitMetric(R"(sluice_circuit_breaker_changes_total{reason="opened"})", 3.0));
    originGet("/_fault/clear");
  }

  void openBreakerServesStale() {
    OriginProcess origin;
    QVERIFY(origin.start(QStringLiteral("stale")));
    NodeProcess node;
    CacheNodeOptions options;
    options.upstream_extra = QStringLiteral(
        "max_fails: 1000\n    circuit_breaker: { consecutive_failures: 1, cool_down: 60s }");
    QVERIFY2(node.start(nodeConfig(cacheSections(origin.address(), options))), qPrintable(node.output()));
    const int port = node.port(QStringLiteral("plain"));
    const QByteArray target = cacheTarget("breaker-sie", {{"cc", "max-age=1, stale-if-error=60"}});
    QCOMPARE(cacheRequest(port, target).status, 200);
    QVERIFY(waitUntil([&] { return cacheRequest(port, target).header("Cache-Status").startsWith("sluice; hit"); },
                      5000));
    QTest::qWait(2200);  // stale now
    QCOMPARE(cacheRequest(origin.port(), "/_fail/on").status, 200);
    // The first stale request reaches the failing origin (503): stale served, and the breaker opens.
    const HttpResponse first = cacheRequest(port, target);
    QCOMPARE(first.status, 200);
    QVERIFY(first.header("Cache-Status").contains("detail=stale-if-error"));
    const qint64 seen = origin.requests();
    // Open: no request reaches the origin, and the entry is still served.
    for (int i = 0; i < 3; ++i) {
      const HttpResponse r = cacheRequest(port, target);
      QCOMPARE(r.status, 200);
      QVERIFY2(r.header("Cache-Status").contains("detail=stale-if-error"), r.header("Cache-Status").constData());
    }
    QCOMPARE(origin.requests(), seen);
    QCOMPARE(node.stop(), 0);
  }

  void cleanupTestCase() { QCOMPARE(node_.stop(), 0); }
};

QTEST_GUILESS_MAIN(CircuitBreakerTest)
#include "circuit_breaker_test.moc"
