#include <QDateTime>
#include <QTemporaryDir>
#include <QtTest>
#include <string>
#include <thread>

#include "storage/cache_store.h"
#include "tests/unit/storage/store_fixture.h"

using namespace sluice::storage;
using namespace sluice::storage::testing;

namespace {

uint64_t nowMs() {
  return static_cast<uint64_t>(QDateTime::currentMSecsSinceEpoch());
}

}  // namespace

class RestartTest : public QObject {
  Q_OBJECT

 private slots:
  void init() { QVERIFY(dir_.isValid()); }

  void entriesAndAccountingSurviveARestart() {
    StoreOptions options;
    options.max_size = 16u << 20;
    {
      auto store = openStore(path(), options);
      QVERIFY(store);
      for (int i = 0; i < 500; ++i) {
        QVERIFY(store->put(PutRequest{"k/" + std::to_string(i),
                                      std::string(100 + i, 'v'),
                                      i % 3 == 0 ? nowMs() + 3'600'000 : 0,
                                      {"t" + std::to_string(i % 5)}}));
      }
      QVERIFY(store->put(PutRequest{std::string(5000, 'L'), "long", 0, {std::string(3000, 'T')}}));
      store->erase("k/0");  // not flushed: the destructor commits what is queued
    }
    auto store = openStore(path(), options);
    QVERIFY(store);
    const StoreStats after = store->stats();
    QCOMPARE(after.entries, uint64_t{500});
    QVERIFY(after.bytes > 0);
    QCOMPARE(QString::fromStdString(store->verify()), QString());
    auto reader = store->reader();
    QVERIFY(!reader->get("k/0").found());
    QCOMPARE(valueOf(*reader, "k/7"), std::optional<std::string>(std::string(107, 'v')));
    QCOMPARE(valueOf(*reader, std::string(5000, 'L')), std::optional<std::string>("long"));
    // The indexes came back too.
    QCOMPARE(purgeNow(*store, PurgeKind::Tag, "t1"), uint64_t{100});
    QCOMPARE(purgeNow(*store, PurgeKind::Tag, std::string(3000, 'T')), uint64_t{1});
    // k/1, k/10-19, k/100-199 (111 keys) less the 23 of them tagged t1 (i % 5 == 1)
    QCOMPARE(purgeNow(*store, PurgeKind::Prefix, "k/1"), uint64_t{111 - 23});
    QCOMPARE(QString::fromStdString(store->verify()), QString());
  }

  void accountingIsExactAcrossRestarts() {
    StoreOptions options;
    options.max_size = 16u << 20;
    options.sync = false;
    uint64_t entries = 0;
    uint64_t bytes = 0;
    for (int round = 0; round < 3; ++round) {
      auto store = openStore(path(), options);
      QVERIFY(store);
      QCOMPARE(store->stats().entries, entries);
      QCOMPARE(store->stats().bytes, bytes);
      for (int i = 0; i < 100; ++i) {
        store->put(PutRequest{
            "r" + std::to_string(round) + "/" + std::to_string(i), std::string(i * 10, 'x'), 0, {}});
      }
      store->erase("r" + std::to_string(round) + "/5");
      store->flush();
      entries = store->stats().entries;
      bytes = store->stats().bytes;
      QCOMPARE(QString::fromStdString(store->verify()), QString());
    }
    QCOMPARE(entries, uint64_t{297});
  }

  void expiredEntriesAreReclaimedAfterARestart() {
    StoreOptions options;
    options.max_size = 16u << 20;
    {
      auto store = openStore(path(), options);
      QVERIFY(store);
      const uint64_t soon = nowMs() + 200;
      for (int i = 0; i < 50; ++i) {
        QVERIFY(store->put(PutRequest{"soon/" + std::to_string(i), "v", soon, {"s"}}));
        QVERIFY(store->put(PutRequest{"later/" + std::to_string(i), "v", nowMs() + 3'600'000, {}}));
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto store = openStore(path(), options);
    QVERIFY(store);
    // The writer reclaims at startup, before its first interval passes.
    QTRY_COMPARE_WITH_TIMEOUT(store->stats().reclaimed, uint64_t{50}, 5000);
    QCOMPARE(store->stats().entries, uint64_t{50});
    auto reader = store->reader();
    QVERIFY(!reader->get("soon/1").found());
    QVERIFY(reader->get("later/1").found());
    QCOMPARE(purgeNow(*store, PurgeKind::Tag, "s"), uint64_t{0});
    QCOMPARE(QString::fromStdString(store->verify()), QString());
  }

  void aLargerExistingFileKeepsItsSize() {
    StoreOptions options;
    options.max_size = 8u << 20;
    options.sync = false;
    {
      auto store = openStore(path(), options);
      QVERIFY(store);
      for (int i = 0; i < 200; ++i) {
        store->put(PutRequest{"k" + std::to_string(i), std::string(20000, 'x'), 0, {}});
      }
    }
    options.max_size = 2u << 20;  // LMDB keeps a map no smaller than the data already there
    auto store = openStore(path(), options);
    QVERIFY(store);
    QVERIFY(store->stats().max_size >= (2u << 20));
    store->put(PutRequest{"more", std::string(20000, 'y'), 0, {}});
    store->flush();
    QCOMPARE(store->stats().write_errors, uint64_t{0});
    QCOMPARE(QString::fromStdString(store->verify()), QString());
  }

  void cleanup() { QDir(path()).removeRecursively(); }

 private:
  QString path() const { return dir_.path() + "/cache"; }

  QTemporaryDir dir_;
};

QTEST_APPLESS_MAIN(RestartTest)
#include "restart_test.moc"
