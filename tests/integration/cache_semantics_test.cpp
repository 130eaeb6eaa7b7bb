// The response cache through the real binary, against a test origin whose caching headers each test
// sets: what is stored and what is not, freshness and its precedence, Age and Cache-Status, Vary,
// revalidation with 304s, clients' own conditional requests, HEAD, only-if-cached, invalidation by
// unsafe methods, and objects over max_object_size.

#include <QtTest>

#include "tests/support/cache_fixture.h"
#include "tests/support/wait_until.h"
#include "tests/support/node_config.h"

using namespace sluice::test;

class CacheSemanticsTest : public QObject {
  Q_OBJECT

 private:
  OriginProcess origin_;
  NodeProcess node_;
  int port_ = -1;

  HttpResponse get(const QByteArray& target, const QList<QPair<QByteArray, QByteArray>>& headers = {}) {
    return cacheRequest(port_, target, headers);
  }

  // Two GETs: the second must come from the cache (same origin count, `hit` in Cache-Status).
  void expectStored(const QByteArray& target, const QList<QPair<QByteArray, QByteArray>>& headers = {}) {
    const HttpResponse first = get(target, headers);
    QCOMPARE(first.status, 200);
    QVERIFY2(first.header("Cache-Status").contains("stored"), first.header("Cache-Status").constData());
    const HttpResponse second = get(target, headers);
    QCOMPARE(second.status, 200);
    QCOMPARE(originCount(second), originCount(first));
    QVERIFY2(second.header("Cache-Status").startsWith("sluice; hit"), second.header("Cache-Status").constData());
    QCOMPARE(second.body, first.body);
  }

  // Two GETs, both to the origin; the first's Cache-Status names `detail`.
  void expectNotStored(const QByteArray& target, const QByteArray& detail,
                       const QList<QPair<QByteArray, QByteArray>>& headers = {}) {
    const HttpResponse first = get(target, headers);
    QVERIFY(first.ok());
    QVERIFY2(!first.header("Cache-Status").contains("stored"), first.header("Cache-Status").constData());
    QVERIFY2(first.header("Cache-Status").contains("detail=" + detail), first.header("Cache-Status").constData());
    const HttpResponse second = get(target, headers);
    QCOMPARE(originCount(second), originCount(first) + 1);
    QVERIFY(!second.header("Cache-Status").contains("hit"));
  }

  // The ttl= value of a hit's Cache-Status (-999999 when absent).
  static int ttlOf(const HttpResponse& r) {
    const QByteArray status = r.header("Cache-Status");
    const int at = status.indexOf("ttl=");
    if (at < 0) {
      return -999999;
    }
    return status.mid(at + 4).split(';').first().trimmed().toInt();
  }

 private slots:
  void initTestCase() {
    QVERIFY(origin_.start());
    CacheNodeOptions options;
    options.policy = QStringLiteral("{ name: p, default_ttl: 30s, max_ttl: 1h, max_object_size: 64KiB }");
    QVERIFY2(node_.start(nodeConfig(cacheSections(origin_.address(), options))), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
  }

  void missThenHitWithAgeAndCacheStatus() {
    const QByteArray target = cacheTarget("basic", {{"cc", "max-age=600"}});
    const HttpResponse miss = get(target);
    QCOMPARE(miss.status, 200);
    QCOMPARE(miss.header("Cache-Status"), QByteArray("sluice; fwd=uri-miss; fwd-status=200; stored"));
    QCOMPARE(originCount(miss), 1);
    const HttpResponse hit = get(target);
    QCOMPARE(hit.status, 200);
    QCOMPARE(originCount(hit), 1);
    QCOMPARE(hit.body, QByteArray("cache /cache/basic #1\n"));
    QVERIFY(hit.hasHeader("Age"));
    QVERIFY(hit.header("Age").toInt() >= 0 && hit.header("Age").toInt() <= 2);
    QVERIFY(ttlOf(hit) >= 598 && ttlOf(hit) <= 600);
    QCOMPARE(hit.header("Cache-Control"), QByteArray("max-age=600"));
    QCOMPARE(hit.header("Content-Length"), QByteArray::number(hit.body.size()));
    QCOMPARE(hit.headerCount("Date"), 1);
    QCOMPARE(hit.header("X-Origin-Id"), QByteArray("origin"));
  }

  void notStoredCases() {
    expectNotStored(cacheTarget("nostore", {{"cc", "no-store"}}), "no-store");
    expectNotStored(cacheTarget("private", {{"cc", "private, max-age=60"}}), "private");
    expectNotStored(cacheTarget("cookie", {{"cc", "max-age=60"}, {"h", "Set-Cookie: a=b"}}), "set-cookie");
    expectNotStored(cacheTarget("vstar", {{"cc", "max-age=60"}, {"vary", "*"}}), "vary-star");
    expectNotStored(cacheTarget("auth", {{"cc", "max-age=60"}}), "authorization", {{"Authorization", "Bearer x"}});
    expectNotStored(cacheTarget("reqnostore", {{"cc", "max-age=60"}}), "request-no-store",
                    {{"Cache-Control", "no-store"}});
    expectNotStored(cacheTarget("s500", {{"status", "500"}}), "status");
    // 302 without explicit freshness is not heuristically cacheable.
    expectNotStored(cacheTarget("found", {{"status", "302"}, {"h", "Location: /x"}}), "no-freshness");
  }

  void authorizationWithPublicIsStored() {
    expectStored(cacheTarget("authpublic", {{"cc", "public, max-age=60"}}), {{"Authorization", "Bearer x"}});
    expectStored(cacheTarget("authsmaxage", {{"cc", "s-maxage=60"}}), {{"Authorization", "Bearer x"}});
  }

  void freshnessPrecedence() {
    // s-maxage wins over max-age, which wins over Expires; the policy default applies when silent;
    // max_ttl (1h) caps everything.
    get(cacheTarget("smax", {{"cc", "max-age=100, s-maxage=200"}}));
    QVERIFY(qAbs(ttlOf(get(cacheTarget("smax", {{"cc", "max-age=100, s-maxage=200"}}))) - 200) <= 2);
    const QByteArray expires = cacheTarget("expires", {{"cc", "max-age=100"}, {"expires", "Thu, 01 Jan 2037 00:00:00 GMT"}});
    get(expires);
    QVERIFY(qAbs(ttlOf(get(expires)) - 100) <= 2);
    const QByteArray silent = cacheTarget("silent");
    get(silent);
    QVERIFY(qAbs(ttlOf(get(silent)) - 30) <= 2);
    const QByteArray capped = cacheTarget("capped", {{"cc", "max-age=999999"}});
    get(capped);
    QVERIFY(qAbs(ttlOf(get(capped)) - 3600) <= 2);
    // An Expires in the past (with no other freshness) is stale at once: not worth storing.
    const QByteArray past = cacheTarget("past", {{"expires", "Thu, 01 Jan 1998 00:00:00 GMT"}});
    get(past);
    QCOMPARE(originCount(get(past)), 2);
  }

  void ageFromOriginCounts() {
    // An Age of 50 from upstream uses up 50 of 100 seconds of freshness.
    const QByteArray target = cacheTarget("aged", {{"cc", "max-age=100"}, {"h", "Age: 50"}});
    get(target);
    const HttpResponse hit = get(target);
    QVERIFY(hit.header("Age").toInt() >= 50 && hit.header("Age").toInt() <= 52);
    QVERIFY(ttlOf(hit) >= 48 && ttlOf(hit) <= 50);
  }

  void varyCreatesVariants() {
    const QByteArray target = cacheTarget("vary", {{"cc", "max-age=60"}, {"vary", "Accept-Language"}});
    const HttpResponse en1 = get(target, {{"Accept-Language", "en"}});
    const HttpResponse fr1 = get(target, {{"Accept-Language", "fr"}});
    QCOMPARE(originCount(en1), 1);
    QCOMPARE(originCount(fr1), 2);
    QVERIFY(fr1.header("Cache-Status").contains("fwd=vary-miss"));
    const HttpResponse en2 = get(target, {{"Accept-Language", "en"}});
    const HttpResponse fr2 = get(target, {{"Accept-Language", "fr"}});
    QVERIFY(en2.header("Cache-Status").startsWith("sluice; hit"));
    QVERIFY(fr2.header("Cache-Status").startsWith("sluice; hit"));
    QCOMPARE(en2.body, en1.body);
    QCOMPARE(fr2.body, fr1.body);
    // Without the header: another variant (absent differs from any value).
    QCOMPARE(originCount(get(target)), 3);
  }

  void clientConditionalAnsweredFromCache() {
    const QByteArray target = cacheTarget("cond", {{"cc", "max-age=60"}, {"etag", "\"v1\""},
                                                   {"lm", "Tue, 01 Jan 2019 00:00:00 GMT"}});
    QCOMPARE(get(target).status, 200);
    const HttpResponse inm = get(target, {{"If-None-Match", "\"v0\", \"v1\""}});
    QCOMPARE(inm.status, 304);
    QVERIFY(inm.body.isEmpty());
    QCOMPARE(inm.header("ETag"), QByteArray("\"v1\""));
    QVERIFY(inm.header("Cache-Status").startsWith("sluice; hit"));
    QCOMPARE(originCount(inm), 0);  // the 304 carries only the fields RFC 9110 lists
    const HttpResponse other = get(target, {{"If-None-Match", "\"v2\""}});
    QCOMPARE(other.status, 200);
    const HttpResponse ims = get(target, {{"If-Modified-Since", "Tue, 01 Jan 2019 00:00:00 GMT"}});
    QCOMPARE(ims.status, 304);
    // The origin saw only the first request.
    QCOMPARE(originCount(get(target)), 1);
  }

  void revalidationWith304RefreshesTheEntry() {
    // no-cache: stored, but every use is validated first; the origin's 304 refreshes the headers.
    const QByteArray target = cacheTarget("reval", {{"cc", "no-cache"}, {"etag", "\"r1\""}, {"h", "X-Gen: one"}});
    const HttpResponse first = get(target);
    QCOMPARE(first.status, 200);
    QVERIFY(first.header("Cache-Status").contains("stored"));
    const HttpResponse second = get(target);
    QCOMPARE(second.status, 200);
    QCOMPARE(second.body, first.body);  // the stored body, not a new one (#1)
    QCOMPARE(second.header("X-Origin-Count"), QByteArray("2"));  // refreshed from the 304's fields
    QCOMPARE(second.header("Cache-Status"), QByteArray("sluice; fwd=stale; fwd-status=304; stored"));
  }

  void requestNoCacheRevalidates() {
    const QByteArray target = cacheTarget("reqnocache", {{"cc", "max-age=60"}, {"etag", "\"n1\""}});
    get(target);
    const HttpResponse r = get(target, {{"Cache-Control", "no-cache"}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Cache-Status"), QByteArray("sluice; fwd=request; fwd-status=304; stored"));
    QCOMPARE(r.body, QByteArray("cache /cache/reqnocache #1\n"));
    const HttpResponse pragma = get(target, {{"Pragma", "no-cache"}});
    QVERIFY(pragma.header("Cache-Status").contains("fwd=request"));
  }

  void headIsAnsweredFromTheGetEntry() {
    const QByteArray target = cacheTarget("head", {{"cc", "max-age=60"}});
    const HttpResponse got = get(target);
    const HttpResponse head = cacheRequest(port_, target, {}, "HEAD");
    QCOMPARE(head.status, 200);
    QVERIFY(head.body.isEmpty());
    QCOMPARE(head.header("Content-Length"), QByteArray::number(got.body.size()));
    QVERIFY(head.header("Cache-Status").startsWith("sluice; hit"));
  }

  void onlyIfCached() {
    const HttpResponse miss = get(cacheTarget("oic-miss"), {{"Cache-Control", "only-if-cached"}});
    QCOMPARE(miss.status, 504);
    QVERIFY(miss.header("Cache-Status").contains("detail=only-if-cached"));
    const QByteArray target = cacheTarget("oic", {{"cc", "max-age=60"}});
    get(target);
    const HttpResponse hit = get(target, {{"Cache-Control", "only-if-cached"}});
    QCOMPARE(hit.status, 200);
    QVERIFY(hit.header("Cache-Status").startsWith("sluice; hit"));
  }

  void unsafeMethodInvalidates() {
    const QByteArray target = cacheTarget("inval", {{"cc", "max-age=60"}});
    get(target);
    QVERIFY(get(target).header("Cache-Status").startsWith("sluice; hit"));
    const HttpResponse post = cacheRequest(port_, target, {}, "POST");
    QCOMPARE(post.status, 200);
    QVERIFY(post.header("Cache-Status").contains("fwd=method"));
    const HttpResponse after = get(target);
    QVERIFY2(after.header("Cache-Status").contains("fwd=uri-miss"), after.header("Cache-Status").constData());
    // A failed unsafe request invalidates nothing.
    QVERIFY(get(target).header("Cache-Status").startsWith("sluice; hit"));
    QCOMPARE(cacheRequest(origin_.port(), "/_fail/on").status, 200);
    QCOMPARE(cacheRequest(port_, target, {}, "DELETE").status, 503);
    QCOMPARE(cacheRequest(origin_.port(), "/_fail/off").status, 200);
    QVERIFY(get(target).header("Cache-Status").startsWith("sluice; hit"));
  }

  void objectsOverMaxObjectSizeStreamThrough() {
    // 64 KiB limit: 100 KiB with Content-Length and chunked both pass uncached, intact.
    for (const char* chunked : {"0", "1"}) {
      const QByteArray target = cacheTarget(QByteArray("big") + chunked, {{"cc", "max-age=60"}, {"size", "102400"}, {"chunked", chunked}});
      const HttpResponse first = get(target);
      QCOMPARE(first.status, 200);
      QCOMPARE(first.body_bytes, 102400);
      const HttpResponse second = get(target);
      QCOMPARE(second.body_bytes, 102400);
      QCOMPARE(originCount(second), 2);
    }
    // Just under the limit: stored, and served whole.
    const QByteArray small = cacheTarget("fits", {{"cc", "max-age=60"}, {"size", "60000"}});
    const HttpResponse a = get(small);
    QCOMPARE(a.body_bytes, 60000);
    // The entry is written on the store's writer thread, which may lag (sanitizer builds): the
    // next GETs may still miss until it lands; then it must be a hit, whole.
    HttpResponse b;
    QVERIFY(waitUntil([&] {
      b = get(small);
      return b.header("Cache-Status").startsWith("sluice; hit");
    }, 5000));
    QCOMPARE(b.body, a.body);
    QCOMPARE(b.body_bytes, 60000);
  }

  void cleanupTestCase() { QCOMPARE(node_.stop(), 0); }
};

QTEST_GUILESS_MAIN(CacheSemanticsTest)
#include "cache_semantics_test.moc"
