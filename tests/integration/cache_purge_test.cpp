// Purging the cache through admin_http (POST /cache/purge): by exact URL (all its Vary variants), by
// URL prefix, by tag (Cache-Tag and Surrogate-Key), and everything; and the errors for bad requests.

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "tests/support/cache_fixture.h"
#include "tests/support/node_config.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

class CachePurgeTest : public QObject {
  Q_OBJECT

 private:
  OriginProcess origin_;
  NodeProcess node_;
  int port_ = -1;

  bool isHit(const QByteArray& target, const QList<QPair<QByteArray, QByteArray>>& headers = {}) {
    return cacheRequest(port_, target, headers).header("Cache-Status").startsWith("sluice; hit");
  }
  bool store(const QByteArray& target, const QList<QPair<QByteArray, QByteArray>>& headers = {}) {
    cacheRequest(port_, target, headers);
    return waitUntil([&] { return isHit(target, headers); }, 5000);
  }
  int purged(const QByteArray& query) {
    const HttpResponse r = adminPurge(node_, query);
    if (r.status != 200) {
      return -1;
    }
    return QJsonDocument::fromJson(r.body).object().value("purged").toInt(-1);
  }

 private slots:
  void initTestCase() {
    QVERIFY(origin_.start());
    QVERIFY2(node_.start(nodeConfig(cacheSections(origin_.address()))), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
  }

  void byUrlRemovesEveryVariant() {
    const QByteArray target = cacheTarget("url", {{"cc", "max-age=60"}, {"vary", "Accept"}});
    const QByteArray other = cacheTarget("url2", {{"cc", "max-age=60"}});
    QVERIFY(store(target, {{"Accept", "a"}}));
    QVERIFY(store(target, {{"Accept", "b"}}));
    QVERIFY(store(other));
    // Two variants and the Vary record.
    QCOMPARE(purged("url=" + QByteArray("http://cache.test" + target).toPercentEncoding()), 3);
    QVERIFY(!isHit(target, {{"Accept", "a"}}));
    QVERIFY(isHit(other));
  }

  void byPrefix() {
    QVERIFY(store(cacheTarget("dir/a", {{"cc", "max-age=60"}})));
    QVERIFY(store(cacheTarget("dir/b", {{"cc", "max-age=60"}})));
    QVERIFY(store(cacheTarget("dirx", {{"cc", "max-age=60"}})));
    QCOMPARE(purged("prefix=" + QByteArray("http://CACHE.test/cache/dir/").toPercentEncoding()), 2);
    QVERIFY(!isHit(cacheTarget("dir/a", {{"cc", "max-age=60"}})));
    QVERIFY(isHit(cacheTarget("dirx", {{"cc", "max-age=60"}})));
  }

  void byTag() {
    QVERIFY(store(cacheTarget("t1", {{"cc", "max-age=60"}, {"tag", "red,blue"}})));
    QVERIFY(store(cacheTarget("t2", {{"cc", "max-age=60"}, {"h", "Surrogate-Key: blue green"}})));
    QVERIFY(store(cacheTarget("t3", {{"cc", "max-age=60"}, {"tag", "green"}})));
    QCOMPARE(purged("tag=blue"), 2);
    QVERIFY(!isHit(cacheTarget("t1", {{"cc", "max-age=60"}, {"tag", "red,blue"}})));
    QVERIFY(!isHit(cacheTarget("t2", {{"cc", "max-age=60"}, {"h", "Surrogate-Key: blue green"}})));
    QVERIFY(isHit(cacheTarget("t3", {{"cc", "max-age=60"}, {"tag", "green"}})));
  }

  void all() {
    QVERIFY(store(cacheTarget("all1", {{"cc", "max-age=60"}})));
    QVERIFY(purged("all") >= 1);
    QVERIFY(!isHit(cacheTarget("all1", {{"cc", "max-age=60"}})));
  }

  void badRequests() {
    QCOMPARE(adminPurge(node_, "").status, 400);
    QCOMPARE(adminPurge(node_, "url=a&tag=b").status, 400);
    QCOMPARE(adminPurge(node_, "url=not-a-url").status, 400);
    QCOMPARE(adminPurge(node_, "tag=").status, 400);
    const HttpResponse get =
        RawHttpClient::exchange(node_.adminPort(), buildRequest("GET", "/cache/purge?all", {}, {}));
    QCOMPARE(get.status, 405);
  }

  void withoutACacheThereIsNothingToPurge() {
    NodeProcess node;
    QVERIFY(node.start(nodeConfig(QStringLiteral("routes:\n  - { name: r, match: { path_prefix: / }, respond: { status: 200, body: x } }\n"))));
    QCOMPARE(adminPurge(node, "all").status, 503);
    QCOMPARE(node.stop(), 0);
  }

  void cleanupTestCase() { QCOMPARE(node_.stop(), 0); }
};

QTEST_GUILESS_MAIN(CachePurgeTest)
#include "cache_purge_test.moc"
