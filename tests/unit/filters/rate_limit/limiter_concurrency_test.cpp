// Exactness under contention: many threads deciding on one key through the shared table count
// exactly `limit` (or limit + burst) successes, and in-flight counts never exceed their maximum.

#include <QtTest>
#include <atomic>
#include <thread>
#include <vector>

#include "engine/filters/rate_limit/algorithm.h"
#include "engine/filters/rate_limit/fixed_window.h"
#include "engine/filters/rate_limit/gcra.h"
#include "engine/filters/rate_limit/in_flight.h"
#include "engine/filters/rate_limit/limiter_table.h"
#include "engine/filters/rate_limit/sliding_window.h"

using namespace sluice::rate_limit;

namespace {

constexpr int kThreads = 8;
constexpr int kAttemptsPerThread = 20000;
constexpr uint64_t kNow = 100 * kNsPerSecond;  // a frozen clock: every decision in one window

// One decision through the table; true if allowed.
bool allowedOnce(LimiterTable& table, uint64_t hash, uint32_t now_s, const AlgorithmParams& params) {
  Decision d;
  table.update(hash, now_s, [&](uint64_t value) {
    d = decide(params, value, kNow);
    return LimiterTable::Update{d.write, d.value, now_s + 1000};
  });
  return d.allowed;
}

uint64_t hammer(const AlgorithmParams& params) {
  LimiterTable table(1000, 600, 4);
  const uint64_t hash = KeyHash(table.hashKey()).add("one key").finish();
  std::atomic<uint64_t> allowed{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      while (!go.load()) {
      }
      uint64_t mine = 0;
      for (int i = 0; i < kAttemptsPerThread; ++i) {
        mine += allowedOnce(table, hash, 100, params) ? 1 : 0;
      }
      allowed.fetch_add(mine);
    });
  }
  go.store(true);
  for (auto& t : threads) {
    t.join();
  }
  return allowed.load();
}

}  // namespace

class LimiterConcurrencyTest : public QObject {
  Q_OBJECT

 private slots:
  void fixedWindowIsExact() { QCOMPARE(hammer(fixedWindowParams(12345, 60 * kNsPerSecond)), uint64_t(12345)); }

  void slidingWindowIsExact() { QCOMPARE(hammer(slidingWindowParams(777, 60 * kNsPerSecond)), uint64_t(777)); }

  void tokenBucketIsExact() {
    QCOMPARE(hammer(gcraParams(5000, 3600 * kNsPerSecond, 250)), uint64_t(5250));
  }

  // Keys churning through a small full table evict and move slots (backward shift) all the time,
  // the hot key's slot included; its count must stay exact.
  void exactWhileOtherKeysChurn() {
    LimiterTable table(256, 600, 1);
    const AlgorithmParams params = fixedWindowParams(5000, 60 * kNsPerSecond);
    const uint64_t hot = KeyHash(table.hashKey()).add("hot").finish();
    std::atomic<uint64_t> allowed{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        while (!go.load()) {
        }
        uint64_t mine = 0;
        for (int i = 0; i < 5000; ++i) {
          // Used at second 1000: always newer than the churning keys (second 10), never evicted.
          mine += allowedOnce(table, hot, 1000, params) ? 1 : 0;
        }
        allowed.fetch_add(mine);
      });
    }
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, t] {
        while (!go.load()) {
        }
        for (uint64_t k = 0; k < 30000; ++k) {
          const uint64_t hash = KeyHash(table.hashKey()).add(static_cast<uint64_t>(t)).add(k).finish();
          table.update(hash, 10, [](uint64_t value) { return LimiterTable::Update{true, value + 1, 2000}; });
        }
      });
    }
    go.store(true);
    for (auto& t : threads) {
      t.join();
    }
    QCOMPARE(allowed.load(), uint64_t(5000));
    QVERIFY(table.stats().evictions > 50000);
    QVERIFY(table.contains(hot));
  }

  void inFlightNeverExceedsItsMaximum() {
    LimiterTable table(1000, 600, 4);
    const uint64_t hash = KeyHash(table.hashKey()).add("api key").finish();
    constexpr uint64_t kMax = 3;
    std::atomic<int> inside{0};
    std::atomic<int> most{0};
    std::atomic<uint64_t> held{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 5000; ++i) {
          sluice::core::Lease lease;
          if (acquireCount(table, hash, kMax, 100, lease) != Acquired::Held) {
            continue;
          }
          held.fetch_add(1);
          const int now = inside.fetch_add(1) + 1;
          int seen = most.load();
          while (now > seen && !most.compare_exchange_weak(seen, now)) {
          }
          inside.fetch_sub(1);
          lease.release();
        }
      });
    }
    for (auto& t : threads) {
      t.join();
    }
    QVERIFY(held.load() > 0);
    QVERIFY2(most.load() <= static_cast<int>(kMax), qPrintable(QString::number(most.load())));
    // Everything was given back: kMax can be taken again at once, and no more.
    std::vector<sluice::core::Lease> leases(kMax + 1);
    for (uint64_t i = 0; i < kMax; ++i) {
      QCOMPARE(acquireCount(table, hash, kMax, 100, leases[i]), Acquired::Held);
    }
    QCOMPARE(acquireCount(table, hash, kMax, 100, leases[kMax]), Acquired::Refused);
  }
};

QTEST_GUILESS_MAIN(LimiterConcurrencyTest)
#include "limiter_concurrency_test.moc"
