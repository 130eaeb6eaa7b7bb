// Stale responses (RFC 5861, RFC 9111 4.2.4) through the real binary: stale-while-revalidate serves
// the stale entry at once and refreshes it in the background, once; stale-if-error serves it when the
// origin fails or is down; must-revalidate forbids it (504 when the origin cannot be reached).

#include <QtTest>

#include "tests/support/cache_fixture.h"
#include "tests/support/node_config.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

class CacheStaleTest : public QObject {
  Q_OBJECT

 private:
  OriginProcess origin_;
  NodeProcess node_;
  int port_ = -1;

  HttpResponse get(const QByteArray& target) { return cacheRequest(port_, target); }
  void setFailing(bool on) {
    QCOMPARE(cacheRequest(origin_.port(), on ? "/_fail/on" : "/_fail/off").status, 200);
  }
  // Waits until the entry for `target` is stored (a hit), so a test starts from a known state.
  bool waitStored(const QByteArray& target) {
    return waitUntil([&] { return get(target).header("Cache-Status").startsWith("sluice; hit"); }, 5000);
  }

 private slots:
  void initTestCase() {
    QVERIFY(origin_.start());
    CacheNodeOptions options;
    options.upstream_extra = QStringLiteral("max_fails: 1000");
    QVERIFY2(node_.start(nodeConfig(cacheSections(origin_.address(), options))), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
  }

  void staleWhileRevalidateRefreshesInTheBackground() {
    const QByteArray target = cacheTarget("swr", {{"cc", "max-age=2, stale-while-revalidate=60"}, {"etag", "\"s\""}});
    QCOMPARE(originCount(get(target)), 1);
    QVERIFY(waitStored(target));
    QTest::qWait(3200);  // now stale, within the window
    const HttpResponse stale = get(target);
    QCOMPARE(stale.status, 200);
    QVERIFY2(stale.header("Cache-Status").contains("detail=stale-while-revalidate"),
             stale.header("Cache-Status").constData());
    QVERIFY(stale.header("Cache-Status").contains("ttl=-"));
    QCOMPARE(stale.body, QByteArray("cache /cache/swr #1\n"));
    // One background revalidation: the origin answers 304, the entry is fresh again.
    QVERIFY(waitUntil([&] {
      const HttpResponse r = get(target);
      return r.header("Cache-Status").startsWith("sluice; hit; ttl=") && !r.header("Cache-Status").contains("ttl=-");
    }, 5000));
    const HttpResponse fresh = get(target);
    QCOMPARE(fresh.body, QByteArray("cache /cache/swr #1\n"));  // refreshed by a 304: same body
    QVERIFY(fresh.header("X-Origin-Count").toInt() >= 2);        // headers from the 304
  }

  void policyWindowAppliesWhenTheOriginIsSilent() {
    NodeProcess node;
    CacheNodeOptions options;
    options.policy = QStringLiteral("{ name: p, default_ttl: 1s, stale_while_revalidate: 60s }");
    QVERIFY(node.start(nodeConfig(cacheSections(origin_.address(), options))));
    const int port = node.port(QStringLiteral("plain"));
    const QByteArray target = cacheTarget("policy-swr");
    cacheRequest(port, target);
    QVERIFY(waitUntil([&] { return cacheRequest(port, target).header("Cache-Status").startsWith("sluice; hit"); }, 5000));
    QTest::qWait(2200);
    QVERIFY(cacheRequest(port, target).header("Cache-Status").contains("detail=stale-while-revalidate"));
    QCOMPARE(node.stop(), 0);
  }

  void staleIfErrorServesStaleWhenTheOriginFails() {
    const QByteArray target = cacheTarget("sie", {{"cc", "max-age=1, stale-if-error=60"}});
    get(target);
    QVERIFY(waitStored(target));
    QTest::qWait(2200);
    setFailing(true);
    const HttpResponse r = get(target);
    setFailing(false);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("cache /cache/sie #1\n"));
    QVERIFY2(r.header("Cache-Status").contains("detail=stale-if-error"), r.header("Cache-Status").constData());
    // With the origin back, the next request refreshes the entry.
    const HttpResponse after = get(target);
    QCOMPARE(after.status, 200);
    QCOMPARE(after.body, QByteArray("cache /cache/sie #3\n"));
  }

  void staleIfErrorWhenTheOriginIsDown() {
    OriginProcess origin;
    QVERIFY(origin.start(QStringLiteral("short-lived")));
    NodeProcess node;
    CacheNodeOptions options;
    options.upstream_extra = QStringLiteral("max_fails: 1000");
    QVERIFY(node.start(nodeConfig(cacheSections(origin.address(), options))));
    const int port = node.port(QStringLiteral("plain"));
    const QByteArray sie = cacheTarget("down-sie", {{"cc", "max-age=1, stale-if-error=60"}});
    // With a validator, so that the stale entry is kept for a revalidation (one without any is
    // reclaimed as soon as it is stale and may not be served: the request is then a plain miss).
    const QByteArray mr =
        cacheTarget("down-mr", {{"cc", "max-age=1, must-revalidate, stale-if-error=60"}, {"etag", "\"m\""}});
    const QByteArray plain = cacheTarget("down-plain", {{"cc", "max-age=1"}});
    for (const QByteArray& t : {sie, mr, plain}) {
      cacheRequest(port, t);
      QVERIFY(waitUntil([&] { return cacheRequest(port, t).header("Cache-Status").startsWith("sluice; hit"); }, 5000));
    }
    origin.stop();
    QTest::qWait(2200);
    const HttpResponse served = cacheRequest(port, sie);
    QCOMPARE(served.status, 200);
    QVERIFY(served.header("Cache-Status").contains("detail=stale-if-error"));
    // must-revalidate: never stale; an unreachable origin is a 504.
    QCOMPARE(cacheRequest(port, mr).status, 504);
    // No stale window at all: the proxy's own error.
    QCOMPARE(cacheRequest(port, plain).status, 502);
    QCOMPARE(node.stop(), 0);
  }

  void cleanupTestCase() { QCOMPARE(node_.stop(), 0); }
};

QTEST_GUILESS_MAIN(CacheStaleTest)
#include "cache_stale_test.moc"
