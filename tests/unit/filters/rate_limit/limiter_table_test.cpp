// LimiterTable (engine/filters/rate_limit/limiter_table.h): capacity, eviction order, idle
// expiry, pinning, slot reuse, and memory per key.

#include "engine/filters/rate_limit/limiter_table.h"

#include <unistd.h>

#include <QtTest>

#include "tests/support/proc_status.h"

using namespace sluice::rate_limit;

namespace {

const HashKey kKey{0x0123456789abcdefull, 0xfedcba9876543210ull};

uint64_t hashOf(uint64_t n) {
  return KeyHash(kKey).add(n).finish();
}

// Counts uses in the state; returns the count after this use.
uint64_t use(LimiterTable& table, uint64_t key, uint32_t now_s, uint32_t expire_at = 0) {
  uint64_t seen = 0;
  table.update(hashOf(key), now_s, [&](uint64_t value) {
    seen = value + 1;
    return LimiterTable::Update{true, seen, expire_at == 0 ? now_s + 600 : expire_at};
  });
  return seen;
}

}  // namespace

class LimiterTableTest : public QObject {
  Q_OBJECT

 private slots:
  void keysAreStoredAndKept() {
    LimiterTable table(100, 600, 1, kKey);
    QCOMPARE(use(table, 1, 10), uint64_t(1));
    QCOMPARE(use(table, 1, 10), uint64_t(2));
    QCOMPARE(use(table, 2, 10), uint64_t(1));
    QCOMPARE(table.stats().keys, uint64_t(2));
    QVERIFY(table.contains(hashOf(1)));
    QVERIFY(!table.contains(hashOf(3)));
  }

  void atMaxKeysTheLeastRecentlyUsedGoFirst() {
    LimiterTable table(4, 600, 1, kKey);
    QCOMPARE(table.stats().max_keys, uint64_t(4));
    for (uint64_t k = 1; k <= 4; ++k) {
      use(table, k, static_cast<uint32_t>(10 + k));  // last used at 11, 12, 13, 14
    }
    use(table, 1, 15);                               // key 1 is now the most recent
    use(table, 5, 16);                               // full: evicts key 2 (used at 12)
    QVERIFY(!table.contains(hashOf(2)));
    for (uint64_t k : {1, 3, 4, 5}) {
      QVERIFY2(table.contains(hashOf(k)), qPrintable(QString::number(k)));
    }
    use(table, 6, 17);  // then key 3 (13)
    QVERIFY(!table.contains(hashOf(3)));
    use(table, 7, 18);  // then key 4 (14)
    QVERIFY(!table.contains(hashOf(4)));
    QCOMPARE(table.stats().keys, uint64_t(4));
    QCOMPARE(table.stats().evictions, uint64_t(3));
    QCOMPARE(use(table, 2, 19), uint64_t(1));  // an evicted key starts over
  }

  void idleKeysExpireAtTheirTime() {
    LimiterTable table(100, 600, 1, kKey);
    use(table, 1, 10, 20);
    use(table, 2, 10, 30);
    table.sweep(19);
    QCOMPARE(table.stats().keys, uint64_t(2));
    table.sweep(20);
    QVERIFY(!table.contains(hashOf(1)));
    QVERIFY(table.contains(hashOf(2)));
    QCOMPARE(table.stats().expirations, uint64_t(1));
    table.sweep(31);
    QCOMPARE(table.stats().keys, uint64_t(0));
  }

  void pinnedKeysStay() {
    LimiterTable table(2, 600, 1, kKey);
    for (uint64_t k = 1; k <= 2; ++k) {
      table.update(hashOf(k), 10, [](uint64_t) { return LimiterTable::Update{true, LimiterTable::kPinned | 1, 11}; });
    }
    table.sweep(100);
    QCOMPARE(table.stats().keys, uint64_t(2));
    // Full of pinned keys: a new key cannot be stored, and says so.
    QVERIFY(!table.update(hashOf(3), 10, [](uint64_t) { return LimiterTable::Update{true, 1, 11}; }));
    QCOMPARE(table.stats().full, uint64_t(1));
  }

  void aTokenOfAnEvictedKeyChangesNothing() {
    LimiterTable table(1, 600, 1, kKey);
    uint64_t token = 0;
    table.update(hashOf(1), 10, [](uint64_t) { return LimiterTable::Update{true, 5, 600}; }, token);
    use(table, 2, 11);  // evicts key 1; key 2 may take over its slot
    table.updateToken(token, [](uint64_t) { return uint64_t{999}; });
    QCOMPARE(use(table, 2, 12), uint64_t(2));  // key 2's state was not touched
  }

  void evictedSlotsAreReusedWithoutLongChains() {
    LimiterTable table(64, 600, 1, kKey);
    for (uint64_t k = 0; k < 20000; ++k) {
      use(table, k, static_cast<uint32_t>(k));
      if (k % 1000 == 0) {
        table.sweep(static_cast<uint32_t>(k) + 1000);  // everything older than 400 s expired
      }
    }
    QVERIFY(table.stats().keys <= 64);
    QCOMPARE(use(table, 19999, 20000), uint64_t(2));
  }

  // Churn at max_keys (every new key evicts one) must not fill shards with tombstones: lookups of
  // new keys would then walk whole shards.
  void churnAtCapacityKeepsProbeRunsShort() {
    LimiterTable table(4096, 600, 1, kKey);
    for (uint64_t k = 0; k < 400'000; ++k) {
      use(table, k, static_cast<uint32_t>(k / 100));
    }
    const TableShape shape = table.shape();
    QCOMPARE(table.stats().keys, uint64_t(4096));
    qInfo("after 400000 keys through 4096: %llu empty, %llu tombstones, longest run %zu",
          static_cast<unsigned long long>(shape.empty), static_cast<unsigned long long>(shape.tombstones),
          shape.longest_run);
    QVERIFY2(shape.empty >= 4096 / 8, qPrintable(QString::number(shape.empty)));
    QVERIFY2(shape.longest_run < 400, qPrintable(QString::number(shape.longest_run)));
  }

  void hashKeysSeparateProcesses() {
    const HashKey a = HashKey::random();
    const HashKey b = HashKey::random();
    QVERIFY(a.k0 != b.k0 || a.k1 != b.k1);
    QVERIFY(KeyHash(a).add("10.0.0.1").finish() != KeyHash(b).add("10.0.0.1").finish());
    QCOMPARE(KeyHash(a).add("10.0.0.1").finish(), KeyHash(a).add("10.0.").add("0.1").finish());
  }

  // docs/rate-limiting.md quotes this: bytes of resident memory per key with the table full.
  void memoryPerKey() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    QSKIP("a sanitizer's shadow memory makes resident memory meaningless here");
#endif
    constexpr uint64_t kKeys = 1'000'000;
    const qint64 before_kb = sluice::test::procStatusKb(getpid(), "VmRSS");
    {
      LimiterTable table(kKeys, 600, 0, kKey);
      for (uint64_t k = 0; k < kKeys; ++k) {
        use(table, k, 10);
      }
      QCOMPARE(table.stats().keys, kKeys);
      const qint64 after_kb = sluice::test::procStatusKb(getpid(), "VmRSS");
      const double per_key = static_cast<double>(after_kb - before_kb) * 1024.0 / kKeys;
      qInfo("rate-limit table: %llu keys, %llu slots, %.1f bytes of RSS per key", static_cast<unsigned long long>(kKeys),
            static_cast<unsigned long long>(table.stats().slot_count), per_key);
      QVERIFY2(per_key < 40, qPrintable(QString::number(per_key)));
    }
  }
};

QTEST_GUILESS_MAIN(LimiterTableTest)
#include "limiter_table_test.moc"
