// Request coalescing through the real binary: concurrent misses for one key, spread over two
// workers, cause one origin fetch; the others wait and get the stored answer. A response that may
// not be stored releases every waiter to fetch for itself, and a waiter gives up waiting after the
// policy's lock_timeout.

#include <QtTest>

#include <memory>
#include <vector>

#include "tests/support/cache_fixture.h"
#include "tests/support/node_config.h"
#include "tests/support/raw_http_client.h"

using namespace sluice::test;

class CacheCoalescingTest : public QObject {
  Q_OBJECT

 private:
  OriginProcess origin_;
  NodeProcess node_;
  int port_ = -1;

  // `clients` concurrent GETs of `target`, each on its own connection: all are sent before any
  // answer is read, so they are in the node at once. Their responses. (No threads: under TSan a
  // test process may not start threads once it has started the node.)
  std::vector<HttpResponse> concurrently(const QByteArray& target, int clients) {
    std::vector<std::unique_ptr<RawHttpClient>> connections;
    for (int i = 0; i < clients; ++i) {
      auto c = std::make_unique<RawHttpClient>();
      if (c->connect(port_)) {
        c->send(buildRequest("GET", target, {}, {}, "cache.test"));
      }
      connections.push_back(std::move(c));
    }
    std::vector<HttpResponse> responses;
    for (auto& c : connections) {
      responses.push_back(c->readResponse(10000));
    }
    return responses;
  }

 private slots:
  void initTestCase() {
    QVERIFY(origin_.start());
    CacheNodeOptions options;
    options.workers = 2;
    options.policy = QStringLiteral("{ name: p, default_ttl: 30s, lock_timeout: 2s }");
    QVERIFY2(node_.start(nodeConfig(cacheSections(origin_.address(), options))), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
  }

  void concurrentMissesFetchOnce() {
    // The origin takes 800 ms: all 20 clients arrive while the first fetch runs.
    const QByteArray target = cacheTarget("slow", {{"cc", "max-age=60"}, {"delay", "800"}});
    const std::vector<HttpResponse> responses = concurrently(target, 20);
    int collapsed = 0;
    for (const HttpResponse& r : responses) {
      QCOMPARE(r.status, 200);
      QCOMPARE(r.body, QByteArray("cache /cache/slow #1\n"));
      collapsed += r.header("Cache-Status").contains("collapsed") ? 1 : 0;
    }
    QCOMPARE(collapsed, 19);
    const HttpResponse counts = cacheRequest(origin_.port(), "/_counts");
    QVERIFY2(counts.body.contains("\"/cache/slow?cc=max-age%3D60&delay=800\":1"), counts.body.constData());
  }

  void uncacheableReleasesWaitersAtOnce() {
    const QByteArray target = cacheTarget("private-slow", {{"cc", "private"}, {"delay", "600"}});
    QElapsedTimer timer;
    timer.start();
    const std::vector<HttpResponse> responses = concurrently(target, 6);
    for (const HttpResponse& r : responses) {
      QCOMPARE(r.status, 200);
    }
    // Each client got its own answer (private responses are never shared) ...
    QSet<QByteArray> bodies;
    for (const HttpResponse& r : responses) {
      bodies.insert(r.body);
    }
    QCOMPARE(bodies.size(), 6);
    // ... and the waiters went to the origin together, not one after another (6 x 600 ms).
    QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
  }

  void waitersGiveUpAfterLockTimeout() {
    // The origin takes 3 s, longer than the 2 s lock_timeout: waiters fetch on their own.
    const QByteArray target = cacheTarget("very-slow", {{"cc", "max-age=60"}, {"delay", "3000"}});
    const std::vector<HttpResponse> responses = concurrently(target, 3);
    for (const HttpResponse& r : responses) {
      QCOMPARE(r.status, 200);
    }
    const HttpResponse counts = cacheRequest(origin_.port(), "/_counts");
    QVERIFY2(counts.body.contains("delay=3000\":3"), counts.body.constData());
  }

  void cleanupTestCase() { QCOMPARE(node_.stop(), 0); }
};

QTEST_GUILESS_MAIN(CacheCoalescingTest)
#include "cache_coalescing_test.moc"
