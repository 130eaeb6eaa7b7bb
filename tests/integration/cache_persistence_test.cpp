// The cache store on disk through the real binary: entries survive a clean stop and a kill -9 and are
// hits at once after the restart; killing the node while it stores under load never corrupts the
// store; a small max_size bounds the store while every request still succeeds (eviction).

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <QElapsedTimer>

#include <csignal>
#include <memory>
#include <vector>

#include "tests/support/cache_fixture.h"
#include "tests/support/node_config.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

namespace {

QJsonObject cacheStats(const NodeProcess& node) {
  const HttpResponse r = RawHttpClient::exchange(node.adminPort(), buildRequest("GET", "/stats"));
  return QJsonDocument::fromJson(r.body).object().value("cache").toObject();
}

}  // namespace

class CachePersistenceTest : public QObject {
  Q_OBJECT

 private:
  OriginProcess origin_;
  QTemporaryDir store_;  // outlives the nodes: the cache path

  QString sections(const QString& max_size = QStringLiteral("64MiB")) {
    CacheNodeOptions options;
    options.workers = 2;
    options.cache = QStringLiteral("{ path: \"%1\", max_size: %2 }").arg(store_.path() + "/cache", max_size);
    return cacheSections(origin_.address(), options);
  }

  bool storeAll(int port, const QList<QByteArray>& targets) {
    for (const QByteArray& t : targets) {
      if (cacheRequest(port, t).status != 200) {
        return false;
      }
    }
    return waitUntil([&] {
      for (const QByteArray& t : targets) {
        if (!cacheRequest(port, t).header("Cache-Status").startsWith("sluice; hit")) {
          return false;
        }
      }
      return true;
    }, 10000);
  }

 private slots:
  void initTestCase() {
    QVERIFY(origin_.start());
    QVERIFY(store_.isValid());
  }

  void survivesCleanStopAndKill9() {
    QList<QByteArray> targets;
    for (int i = 0; i < 20; ++i) {
      targets.append(cacheTarget("persist" + QByteArray::number(i), {{"cc", "max-age=600"}}));
    }
    for (const int signal : {SIGTERM, SIGKILL}) {
      {
        NodeProcess node;
        QVERIFY(node.start(nodeConfig(sections())));
        QVERIFY(storeAll(node.port(QStringLiteral("plain")), targets));
        // A kill -9 right after the hits: the entries were committed before they were hits.
        QVERIFY(node.sendSignal(signal));
        node.waitForExit(15000);
      }
      NodeProcess restarted;
      QVERIFY2(restarted.start(nodeConfig(sections())), qPrintable(restarted.output()));
      const int port = restarted.port(QStringLiteral("plain"));
      for (const QByteArray& t : targets) {
        const HttpResponse r = cacheRequest(port, t);
        QCOMPARE(r.status, 200);
        QVERIFY2(r.header("Cache-Status").startsWith("sluice; hit"), r.header("Cache-Status").constData());
        QCOMPARE(originCount(r), 1);
      }
      QCOMPARE(restarted.stop(), 0);
    }
  }

  void killedUnderWriteLoadLeavesAUsableStore() {
    for (int round = 0; round < 3; ++round) {
      NodeProcess node;
      QVERIFY(node.start(nodeConfig(sections())));
      const int port = node.port(QStringLiteral("plain"));
      // Four keep-alive clients store 64 KiB objects as fast as they can (each sends, then all
      // read); the node is killed mid-stream. No threads: see cache_coalescing_test.cpp.
      std::vector<std::unique_ptr<RawHttpClient>> clients;
      for (int c = 0; c < 4; ++c) {
        clients.push_back(std::make_unique<RawHttpClient>());
        QVERIFY(clients.back()->connect(port));
      }
      QElapsedTimer timer;
      timer.start();
      const qint64 kill_at = 700 + 300 * round;
      for (int i = 0; timer.elapsed() < kill_at; ++i) {
        for (size_t c = 0; c < clients.size(); ++c) {
          const QByteArray name = "load-" + QByteArray::number(round) + "-" + QByteArray::number(static_cast<int>(c)) +
                                  "-" + QByteArray::number(i);
          clients[c]->send(buildRequest("GET", cacheTarget(name, {{"cc", "max-age=600"}, {"size", "65536"}}), {}, {},
                                        "cache.test"));
        }
        for (auto& client : clients) {
          QCOMPARE(client->readResponse(10000).status, 200);
        }
      }
      QVERIFY(node.sendSignal(SIGKILL));
      node.waitForExit(15000);

      // The store opens, what it holds is served whole, and new entries can be written.
      NodeProcess restarted;
      QVERIFY2(restarted.start(nodeConfig(sections())), qPrintable(restarted.output()));
      const int rport = restarted.port(QStringLiteral("plain"));
      const QByteArray probe = cacheTarget("load-" + QByteArray::number(round) + "-0-0", {{"cc", "max-age=600"}, {"size", "65536"}});
      const HttpResponse r = cacheRequest(rport, probe);
      QCOMPARE(r.status, 200);
      QCOMPARE(r.body_bytes, 65536);
      QVERIFY(storeAll(rport, {cacheTarget("after-crash-" + QByteArray::number(round), {{"cc", "max-age=600"}})}));
      const QJsonObject stats = cacheStats(restarted);
      QCOMPARE(stats.value("write_errors").toInt(), 0);
      QCOMPARE(restarted.stop(), 0);
      QVERIFY(!restarted.output().contains("error"));
    }
  }

  void smallStoreEvictsAndStaysBounded() {
    QTemporaryDir dir;
    CacheNodeOptions options;
    options.cache = QStringLiteral("{ path: \"%1\", max_size: 4MiB }").arg(dir.path() + "/small");
    NodeProcess node;
    QVERIFY(node.start(nodeConfig(cacheSections(origin_.address(), options))));
    const int port = node.port(QStringLiteral("plain"));
    // 40x the store's size in 64 KiB objects: every request succeeds, whole.
    for (int i = 0; i < 2560; ++i) {
      const HttpResponse r = cacheRequest(port, cacheTarget("evict" + QByteArray::number(i), {{"cc", "max-age=600"}, {"size", "65536"}}));
      QCOMPARE(r.status, 200);
      QCOMPARE(r.body_bytes, 65536);
    }
    QVERIFY(waitUntil([&] { return cacheStats(node).value("evictions").toInt() > 0; }, 10000));
    const QJsonObject stats = cacheStats(node);
    QVERIFY(stats.value("bytes").toDouble() <= 4 * 1024 * 1024);
    QCOMPARE(stats.value("write_errors").toInt(), 0);
    const QFileInfo data(dir.path() + "/small/data.mdb");
    QVERIFY(data.exists());
    QVERIFY2(data.size() <= 4 * 1024 * 1024, qPrintable(QString::number(data.size())));
    // The newest entries are still there.
    QVERIFY(waitUntil([&] {
      return cacheRequest(port, cacheTarget("evict2559", {{"cc", "max-age=600"}, {"size", "65536"}}))
          .header("Cache-Status").startsWith("sluice; hit");
    }, 5000));
    const int code = node.stop();
    QVERIFY2(code == 0, qPrintable(node.output().right(3000)));
  }
};

QTEST_GUILESS_MAIN(CachePersistenceTest)
#include "cache_persistence_test.moc"
