#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <random>
#include <string>
#include <thread>

#include "storage/cache_store.h"
#include "tests/unit/storage/store_fixture.h"

using namespace sluice::storage;
using namespace sluice::storage::testing;

namespace {

constexpr uint64_t kMiB = 1u << 20;

// Value sizes spread evenly on a log scale between `low` and `high`.
class SizeMix {
 public:
  SizeMix(size_t low, size_t high, uint32_t seed)
      : rng_(seed), dist_(std::log(static_cast<double>(low)), std::log(static_cast<double>(high))) {}
  size_t next() { return static_cast<size_t>(std::exp(dist_(rng_))); }

 private:
  std::mt19937 rng_;
  std::uniform_real_distribution<double> dist_;
};

}  // namespace

class EvictionTest : public QObject {
  Q_OBJECT

 private slots:
  void init() { QVERIFY(dir_.isValid()); }

  void cleanup() {
    if (store_) {
      QCOMPARE(QString::fromStdString(store_->verify()), QString());
    }
    reader_.reset();
    store_.reset();
    QDir(path()).removeRecursively();
  }

  // The measurement the design asks for: 100x the map size in puts of 1 KiB to 512 KiB.
  void overfillStaysWithinTheMapAndKeepsHotKeys() {
    open(8 * kMiB, 0);
    const std::string hot_value(8u << 10, 'h');
    for (int i = 0; i < 16; ++i) {
      QVERIFY(store_->put(PutRequest{"hot/" + std::to_string(i), hot_value, 0, {"hot"}}));
    }
    SizeMix sizes(1u << 10, 512u << 10, 7);
    uint64_t offered = 0;
    uint64_t puts = 0;
    uint64_t refused = 0;
    uint64_t largest_file = 0;
    for (; offered < 100 * 8 * kMiB; ++puts) {
      const size_t size = sizes.next();
      offered += size;
      const std::string key = "cold/" + std::to_string(puts);
      refused += store_->put(PutRequest{key,
                                        std::string(size, static_cast<char>('a' + puts % 26)),
                                        0,
                                        {"t" + std::to_string(puts % 7)}})
                     ? 0
                     : 1;
      if (puts % 4 == 0) {  // 4 puts are at most 2 MiB: well inside what survives an eviction pass
        // Only while the writer keeps up: with puts still queued (a slow run, e.g. under ASan), one
        // writer batch can hold more than the map and evict the hot keys before the touches queued
        // behind it are applied. Draining the queue first makes "touched every 2 MiB" true.
        store_->flush();
        for (int i = 0; i < 16; ++i) {
          store_->touch("hot/" + std::to_string(i));
        }
      }
      if (puts % 64 == 0) {
        store_->flush();
        largest_file = std::max(largest_file, dataFileSize());
        QVERIFY(largest_file <= 8 * kMiB);
      }
      if (puts % 1000 == 0) {
        QCOMPARE(QString::fromStdString(store_->verify()), QString());
      }
    }
    store_->flush();
    const StoreStats stats = store_->stats();
    qInfo(
        "overfill 8 MiB x100: %llu puts (%llu MiB), %llu stored, %llu refused at the queue, %llu dropped in "
        "all, %llu evictions, %llu map-full retries, %llu write errors; now %llu entries, %llu KiB "
        "accounted, "
        "%llu KiB in pages; data file peak %llu KiB",
        ull(puts), ull(offered / kMiB), ull(stats.stores), ull(refused), ull(stats.dropped),
        ull(stats.evictions), ull(stats.map_full), ull(stats.write_errors), ull(stats.entries),
        ull(stats.bytes >> 10), ull(stats.used_bytes >> 10), ull(largest_file >> 10));
    QCOMPARE(stats.write_errors, uint64_t{0});
    QVERIFY(stats.evictions > 0);
    QVERIFY(stats.stores > puts * 9 / 10);
    QVERIFY(dataFileSize() <= 8 * kMiB);
    for (int i = 0; i < 16; ++i) {
      QVERIFY2(reader_->get("hot/" + std::to_string(i)).found(), "a touched key was evicted");
    }
    for (int i = 0; i < 100; ++i) {
      QVERIFY(!reader_->get("cold/" + std::to_string(i)).found());
    }
    QCOMPARE(purgeNow(*store_, PurgeKind::Tag, "hot"), uint64_t{16});
  }

  // With touches applied at once (granularity 0) eviction order is exact LRU.
  void touchedKeysOutliveUntouchedOnes() {
    putTwoGroupsAndTouchTheFirst(0);
    QCOMPARE(store_->stats().touches, uint64_t{100});
    evictUntilGone("b/", "a/");
    QVERIFY(store_->stats().evictions >= 100);
  }

  // Within the granularity a hit does not move its entry: no write per hit.
  void touchesWithinTheGranularityDoNotReorder() {
    putTwoGroupsAndTouchTheFirst(60'000);
    QCOMPARE(store_->stats().touches, uint64_t{0});
    evictUntilGone("a/", "b/");
  }

  // A tiny map and values at the size limit: contiguous overflow runs are scarce, so this is where
  // MDB_MAP_FULL shows up. Nothing may fail, and the store stays consistent.
  void fullMapRecoversWithoutErrors() {
    open(kMiB, 0);
    SizeMix sizes(60u << 10, (kMiB / 8) - 1024, 11);
    for (int i = 0; i < 400; ++i) {
      store_->put(PutRequest{"big/" + std::to_string(i), std::string(sizes.next(), 'x'), 0, {"t"}});
      if (i % 4 == 0) {
        store_->flush();
        QVERIFY(dataFileSize() <= kMiB);
      }
    }
    store_->flush();
    const StoreStats stats = store_->stats();
    qInfo("1 MiB map, 60-127 KiB values: %llu stored, %llu dropped, %llu evictions, %llu map-full retries",
          ull(stats.stores), ull(stats.dropped), ull(stats.evictions), ull(stats.map_full));
    QCOMPARE(stats.write_errors, uint64_t{0});
    QVERIFY(stats.stores > 300);
    QVERIFY(dataFileSize() <= kMiB);
  }

 private:
  static unsigned long long ull(uint64_t v) { return static_cast<unsigned long long>(v); }

  QString path() const { return dir_.path() + "/cache"; }

  void open(uint64_t max_size, uint64_t granularity_ms) {
    StoreOptions options;
    options.max_size = max_size;
    options.sync = false;  // the page arithmetic is the same; fsyncs would only cost time
    options.touch_granularity_ms = granularity_ms;
    store_ = openStore(path(), options);
    QVERIFY(store_);
    reader_ = store_->reader();
    QVERIFY(reader_);
  }

  void putGroup(const std::string& prefix, int count) {
    for (int i = 0; i < count; ++i) {
      QVERIFY(store_->put(PutRequest{prefix + std::to_string(i), std::string(10u << 10, 'v'), 0, {}}));
    }
  }

  // 100 entries "a/N", then 100 "b/N", then a touch of every "a/N" a few milliseconds later.
  void putTwoGroupsAndTouchTheFirst(uint64_t granularity_ms) {
    open(8 * kMiB, granularity_ms);
    putGroup("a/", 100);
    putGroup("b/", 100);
    store_->flush();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // touches land on a later millisecond
    for (int i = 0; i < 100; ++i) {
      store_->touch("a/" + std::to_string(i));
    }
    store_->flush();
  }

  // Stores filler until every `older` entry is evicted, checking that no `newer` entry went while
  // an `older` one was left (one eviction pass may take both: it evicts down to the low-water mark).
  void evictUntilGone(const std::string& older, const std::string& newer) {
    for (int c = 0; countPresent(older, 100) > 0; ++c) {
      QVERIFY(store_->put(PutRequest{"c/" + std::to_string(c), std::string(10u << 10, 'c'), 0, {}}));
      store_->flush();
      if (countPresent(newer, 100) < 100) {
        QCOMPARE(countPresent(older, 100), 0);
      }
    }
  }

  int countPresent(const std::string& prefix, int count) {
    int present = 0;
    for (int i = 0; i < count; ++i) {
      present += reader_->get(prefix + std::to_string(i)).found() ? 1 : 0;
    }
    return present;
  }

  uint64_t dataFileSize() const { return static_cast<uint64_t>(QFileInfo(path() + "/data.mdb").size()); }

  QTemporaryDir dir_;
  CacheStorePtr store_;
  std::unique_ptr<Reader> reader_;
};

QTEST_APPLESS_MAIN(EvictionTest)
#include "eviction_test.moc"
