// Readers on several threads while the writer commits: every hit is a whole, self-consistent
// value of its own key (MVCC snapshots), lookups never fail for other reasons, and TSan sees no
// race between Readers, the queue and the writer thread.

#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "storage/cache_store.h"
#include "tests/unit/storage/store_fixture.h"

using namespace sluice::storage;
using namespace sluice::storage::testing;

namespace {

constexpr int kKeys = 2000;

std::string keyOf(int i) {
  return (i % 10 == 0 ? std::string(420, 'L') : std::string()) + "k/" + std::to_string(i);
}

struct ReaderTally {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t bad = 0;
  uint64_t max_ns = 0;
  uint64_t over_1ms = 0;  // with more threads than cores, mostly preemption mid-lookup
};

void readLoop(Reader& reader, const std::atomic<bool>& stop, uint32_t seed, ReaderTally& tally) {
  std::mt19937 rng(seed);
  while (!stop.load(std::memory_order_relaxed)) {
    const int i = static_cast<int>(rng() % kKeys);
    const std::string key = keyOf(i);
    const auto start = std::chrono::steady_clock::now();
    const ReadView view = reader.get(key);
    if (!view.found()) {
      ++tally.misses;
      continue;
    }
    ++tally.hits;
    const std::string_view value = view.value();
    const bool ok = checksumOk(value) && value.substr(8).starts_with(key + "|");
    tally.bad += ok ? 0 : 1;
    const auto ns = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
            .count());
    tally.max_ns = std::max(tally.max_ns, ns);
    tally.over_1ms += ns > 1'000'000 ? 1 : 0;
  }
}

}  // namespace

class ConcurrencyTest : public QObject {
  Q_OBJECT

 private slots:
  void readersRunWhileTheWriterCommits() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    StoreOptions options;
    options.max_size = 32u << 20;
    options.sync = true;  // real fsyncs on the writer thread while readers read
    options.touch_granularity_ms = 0;
    auto store = openStore(dir.path() + "/cache", options);
    QVERIFY(store);
    for (int i = 0; i < kKeys; i += 2) {
      QVERIFY(store->put(PutRequest{keyOf(i), checkedValue(keyOf(i) + "|0"), 0, {"even"}}));
    }
    store->flush();

    std::atomic<bool> stop{false};
    constexpr int kReaders = 4;
    std::vector<ReaderTally> tallies(kReaders);
    std::vector<std::thread> threads;
    auto handed_over = store->reader();  // made here, used on another thread only: allowed
    threads.emplace_back([&] { readLoop(*handed_over, stop, 100, tallies[0]); });
    for (int t = 1; t < kReaders; ++t) {
      threads.emplace_back([&, t] {
        auto reader = store->reader();
        readLoop(*reader, stop, 100 + t, tallies[t]);
      });
    }

    std::mt19937 rng(7);
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
    for (uint64_t n = 1; std::chrono::steady_clock::now() < until; ++n) {
      const int i = static_cast<int>(rng() % kKeys);
      const std::string body = keyOf(i) + "|" + std::to_string(n) + std::string(rng() % 20000, 'x');
      store->put(PutRequest{keyOf(i), checkedValue(body), 0, {i % 2 == 0 ? "even" : "odd"}});
      store->touch(keyOf(static_cast<int>(rng() % kKeys)));
      if (n % 20 == 0) {
        store->erase(keyOf(static_cast<int>(rng() % kKeys)));
      }
      if (n % 500 == 0) {
        store->purgePrefix("k/1", nullptr);
        store->purgeTag("odd", nullptr);
      }
      if (n % 2000 == 0) {
        store->purgeAll(nullptr);
      }
      if (n % 100 == 0) {
        store->flush();
        (void)store->stats();
      }
    }
    store->flush();
    stop = true;
    for (auto& t : threads) {
      t.join();
    }
    handed_over.reset();

    ReaderTally total;
    for (const auto& t : tallies) {
      total.hits += t.hits;
      total.misses += t.misses;
      total.bad += t.bad;
      total.max_ns = std::max(total.max_ns, t.max_ns);
      total.over_1ms += t.over_1ms;
    }
    const StoreStats stats = store->stats();
    qInfo("%llu hits, %llu misses, %llu hits over 1 ms, slowest %llu us; writer: %llu stores in %llu batches",
          static_cast<unsigned long long>(total.hits), static_cast<unsigned long long>(total.misses),
          static_cast<unsigned long long>(total.over_1ms),
          static_cast<unsigned long long>(total.max_ns / 1000), static_cast<unsigned long long>(stats.stores),
          static_cast<unsigned long long>(stats.write_batches));
    QCOMPARE(total.bad, uint64_t{0});
    QVERIFY(total.hits > 0);
    QCOMPARE(stats.write_errors, uint64_t{0});
    QCOMPARE(QString::fromStdString(store->verify()), QString());
  }
};

QTEST_APPLESS_MAIN(ConcurrencyTest)
#include "concurrency_test.moc"
