#include "storage/cache_store.h"

#include <QTemporaryDir>
#include <QtTest>
#include <string>
#include <vector>

#include "storage/key_codec.h"
#include "tests/unit/storage/store_fixture.h"

using namespace sluice::storage;
using namespace sluice::storage::testing;

class CacheStoreTest : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    QVERIFY(dir_.isValid());
    StoreOptions options;
    options.max_size = 64u << 20;
    options.sync = false;
    store_ = openStore(dir_.path() + "/cache", options);
    QVERIFY(store_);
    reader_ = store_->reader();
    QVERIFY(reader_);
  }

  void cleanup() {
    if (store_) {
      QCOMPARE(QString::fromStdString(store_->verify()), QString());
    }
    reader_.reset();
    store_.reset();
    QDir(dir_.path() + "/cache").removeRecursively();
  }

  void createsTheDirectoryPrivate() {
    QFileInfo info(dir_.path() + "/cache");
    QVERIFY(info.isDir());
    QCOMPARE(info.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::ExeOther),
             QFile::Permissions());
  }

  void openReportsErrors() {
    std::string error;
    QVERIFY(!CacheStore::open(StoreOptions{}, error));
    QVERIFY(!error.empty());
    QFile file(dir_.path() + "/plain-file");
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    StoreOptions options;
    options.path = file.fileName().toStdString();
    error.clear();
    QVERIFY(!CacheStore::open(options, error));
    QVERIFY2(error.find("not a directory") != std::string::npos, error.c_str());
  }

  void putGetOverwriteErase() {
    QVERIFY(!reader_->get("k").found());
    QVERIFY(store_->put(PutRequest{"k", "one", 0, {}}));
    store_->flush();
    QCOMPARE(valueOf(*reader_, "k"), std::optional<std::string>("one"));
    QVERIFY(store_->put(PutRequest{"k", "two", 0, {}}));
    store_->flush();
    QCOMPARE(valueOf(*reader_, "k"), std::optional<std::string>("two"));
    QCOMPARE(store_->stats().entries, uint64_t{1});
    store_->erase("k");
    store_->erase("never-there");
    store_->flush();
    QVERIFY(!reader_->get("k").found());
    const StoreStats stats = store_->stats();
    QCOMPARE(stats.entries, uint64_t{0});
    QCOMPARE(stats.bytes, uint64_t{0});
    QCOMPARE(stats.stores, uint64_t{2});
  }

  void keysAndValuesAreAnyBytes() {
    const std::string key("\0\xff\x01/x", 5);
    const std::string value("\0\0\xfe", 3);
    QVERIFY(store_->put(PutRequest{key, value, 0, {}}));
    QVERIFY(store_->put(PutRequest{"empty-value", "", 0, {}}));
    store_->flush();
    QCOMPARE(valueOf(*reader_, key), std::optional<std::string>(value));
    QCOMPARE(valueOf(*reader_, "empty-value"), std::optional<std::string>(""));
    QVERIFY(!reader_->get(std::string_view(key).substr(0, 4)).found());
  }

  void readViewKeepsItsSnapshot() {
    const uint64_t reclaim_at = static_cast<uint64_t>(QDateTime::currentMSecsSinceEpoch()) + 3'600'000;
    QVERIFY(store_->put(PutRequest{"snap", "old", reclaim_at, {}}));
    store_->flush();
    {
      const ReadView view = reader_->get("snap");
      QVERIFY(view.found());
      QCOMPARE(view.reclaimAt(), reclaim_at);
      QVERIFY(store_->put(PutRequest{"snap", "new", 0, {}}));
      store_->flush();  // the writer commits while the view holds the old snapshot
      QCOMPARE(view.value(), std::string_view("old"));
      auto other = store_->reader();
      QCOMPARE(valueOf(*other, "snap"), std::optional<std::string>("new"));
    }
    QCOMPARE(valueOf(*reader_, "snap"), std::optional<std::string>("new"));
    ReadView moved = reader_->get("snap");
    ReadView target = std::move(moved);
    QVERIFY(!moved.found());
    QVERIFY(target.found());
  }

  void longKeysUpTo16KiB() {
    const std::string base(kDirectKeyMax, 'L');
    const std::vector<std::string> keys = {base, base + "a", base + "b", base + std::string(1000, 'c'),
                                           std::string(kMaxKeyBytes, 'm')};
    for (size_t i = 0; i < keys.size(); ++i) {
      QVERIFY(store_->put(PutRequest{keys[i], "v" + std::to_string(i), 0, {}}));
    }
    QVERIFY(!store_->put(PutRequest{std::string(kMaxKeyBytes + 1, 'm'), "too long", 0, {}}));
    QVERIFY(!store_->put(PutRequest{"", "empty key", 0, {}}));
    store_->flush();
    for (size_t i = 0; i < keys.size(); ++i) {
      QCOMPARE(valueOf(*reader_, keys[i]), std::optional<std::string>("v" + std::to_string(i)));
    }
    QVERIFY(!reader_->get(base + "d").found());
    QVERIFY(!reader_->get(std::string(kMaxKeyBytes + 1, 'm')).found());
    QCOMPARE(store_->stats().dropped, uint64_t{2});
    std::vector<std::string> seen;
    store_->forEach([&](std::string_view key, std::string_view) { seen.emplace_back(key); });
    std::vector<std::string> expected = keys;
    std::sort(expected.begin(), expected.end());
    std::sort(seen.begin(), seen.end());
    QCOMPARE(seen, expected);
    store_->erase(base + "a");
    store_->flush();
    QVERIFY(!reader_->get(base + "a").found());
    QVERIFY(reader_->get(base + "b").found());
  }

  void prefixPurgeIsExact() {
    for (const char* key : {"/a", "/a/1", "/a/2", "/ab", "/b/1", "/"}) {
      QVERIFY(store_->put(PutRequest{key, "v", 0, {}}));
    }
    QCOMPARE(purgeNow(*store_, PurgeKind::Prefix, "/a/"), uint64_t{2});
    QVERIFY(reader_->get("/a").found());
    QVERIFY(reader_->get("/ab").found());
    QVERIFY(!reader_->get("/a/1").found());
    QCOMPARE(purgeNow(*store_, PurgeKind::Prefix, "/a"), uint64_t{2});
    QCOMPARE(purgeNow(*store_, PurgeKind::Prefix, "/zzz"), uint64_t{0});
    QCOMPARE(purgeNow(*store_, PurgeKind::Prefix, ""), uint64_t{2});
    QCOMPARE(store_->stats().entries, uint64_t{0});
    QCOMPARE(store_->stats().purged, uint64_t{6});
  }

  void prefixPurgeWithLongKeysAndPrefixes() {
    const std::string base = "/" + std::string(kDirectKeyMax + 50, 'p');
    // Around the 400-byte cut: keys that share the first 400 bytes but differ after, and a short
    // key that is a prefix of all of them.
    const std::vector<std::string> keys = {base.substr(0, kDirectKeyMax), base + "/x/1", base + "/x/2",
                                           base + "/y/1", base + "/xx"};
    for (const auto& key : keys) {
      QVERIFY(store_->put(PutRequest{key, "v", 0, {}}));
    }
    QCOMPARE(purgeNow(*store_, PurgeKind::Prefix, base + "/x/"), uint64_t{2});
    QVERIFY(reader_->get(base + "/xx").found());
    QVERIFY(reader_->get(base + "/y/1").found());
    QCOMPARE(purgeNow(*store_, PurgeKind::Prefix, base.substr(0, 300)), uint64_t{3});
    QCOMPARE(store_->stats().entries, uint64_t{0});
  }

  void largePrefixPurgeRunsInChunks() {
    for (int i = 0; i < 2500; ++i) {
      QVERIFY(store_->put(PutRequest{"/big/" + std::to_string(i), "v", 0, {"t"}}));
      if (i % 500 == 0) {
        store_->flush();
      }
    }
    QVERIFY(store_->put(PutRequest{"/bigger", "v", 0, {}}));
    const uint64_t batches = store_->stats().write_batches;
    QCOMPARE(purgeNow(*store_, PurgeKind::Prefix, "/big/"), uint64_t{2500});
    QVERIFY(store_->stats().write_batches - batches >= 3);  // 1000 entries per txn
    QVERIFY(reader_->get("/bigger").found());
  }

  void tagPurge() {
    QVERIFY(store_->put(PutRequest{"a", "v", 0, {"red", "blue", "red", ""}}));
    QVERIFY(store_->put(PutRequest{"b", "v", 0, {"blue"}}));
    QVERIFY(store_->put(PutRequest{"c", "v", 0, {"green"}}));
    QVERIFY(!store_->put(PutRequest{"d", "v", 0, {std::string(kMaxKeyBytes + 1, 't')}}));
    QCOMPARE(purgeNow(*store_, PurgeKind::Tag, "blue"), uint64_t{2});
    QVERIFY(!reader_->get("a").found());
    QVERIFY(reader_->get("c").found());
    QCOMPARE(purgeNow(*store_, PurgeKind::Tag, "red"), uint64_t{0});  // went with "a"
    QCOMPARE(purgeNow(*store_, PurgeKind::Tag, "nope"), uint64_t{0});
    // An overwrite replaces the tags.
    QVERIFY(store_->put(PutRequest{"c", "v2", 0, {"yellow"}}));
    QCOMPARE(purgeNow(*store_, PurgeKind::Tag, "green"), uint64_t{0});
    QCOMPARE(purgeNow(*store_, PurgeKind::Tag, "yellow"), uint64_t{1});
  }

  void longTagsAndManyTaggedEntries() {
    const std::string tag_a = std::string(kDirectKeyMax, 'T') + "a";
    const std::string tag_b = std::string(kDirectKeyMax, 'T') + "b";
    for (int i = 0; i < 2200; ++i) {
      QVERIFY(store_->put(PutRequest{"k" + std::to_string(i), "v", 0, {i % 2 == 0 ? tag_a : tag_b}}));
    }
    QCOMPARE(purgeNow(*store_, PurgeKind::Tag, tag_a), uint64_t{1100});
    QVERIFY(!reader_->get("k0").found());
    QVERIFY(reader_->get("k1").found());
    QCOMPARE(purgeNow(*store_, PurgeKind::Tag, tag_b), uint64_t{1100});
  }

  void purgeAll() {
    for (int i = 0; i < 100; ++i) {
      QVERIFY(store_->put(PutRequest{"k" + std::to_string(i), "v", i % 2 == 0 ? 0 : ~uint64_t{0}, {"t"}}));
    }
    QCOMPARE(purgeNow(*store_, PurgeKind::All), uint64_t{100});
    QVERIFY(!reader_->get("k1").found());
    QCOMPARE(store_->stats().entries, uint64_t{0});
    QCOMPARE(store_->stats().bytes, uint64_t{0});
    QVERIFY(store_->put(PutRequest{"after", "v", 0, {"t"}}));
    store_->flush();
    QVERIFY(reader_->get("after").found());
  }

  void purgesRunInQueueOrder() {
    QVERIFY(store_->put(PutRequest{"/x/before", "v", 0, {}}));
    std::atomic<int64_t> removed{-1};
    store_->purgePrefix("/x/", [&](uint64_t n) { removed = static_cast<int64_t>(n); });
    QVERIFY(store_->put(PutRequest{"/x/after", "v", 0, {}}));
    store_->flush();
    QCOMPARE(removed.load(), int64_t{1});
    QVERIFY(!reader_->get("/x/before").found());
    QVERIFY(reader_->get("/x/after").found());
  }

  void tooBigValuesAreDropped() {
    const size_t limit = store_->stats().max_size / 8;
    QVERIFY(!store_->put(PutRequest{"huge", std::string(limit, 'h'), 0, {}}));
    QVERIFY(store_->put(PutRequest{"fits", std::string(limit - 1000, 'h'), 0, {}}));
    store_->flush();
    QCOMPARE(store_->stats().dropped, uint64_t{1});
    QCOMPARE(reader_->get("fits").value().size(), limit - 1000);
  }

  void aFullQueueDrops() {
    reader_.reset();
    store_.reset();
    StoreOptions options;
    options.max_size = 64u << 20;
    options.max_pending_bytes = 256u << 10;
    options.sync = true;  // slow commits, so the queue fills
    store_ = openStore(dir_.path() + "/cache", options);
    QVERIFY(store_);
    uint64_t refused = 0;
    for (int i = 0; i < 2000; ++i) {
      refused += store_->put(PutRequest{"q" + std::to_string(i), std::string(16u << 10, 'q'), 0, {}}) ? 0 : 1;
    }
    store_->flush();
    const StoreStats stats = store_->stats();
    QVERIFY(refused > 0);
    QCOMPARE(stats.dropped, refused);
    QCOMPARE(stats.stores + refused, uint64_t{2000});
    QCOMPARE(stats.entries, stats.stores);
    QCOMPARE(stats.write_errors, uint64_t{0});
  }

  void accountingCountsKeysAndRecords() {
    QVERIFY(store_->put(PutRequest{"abc", std::string(100, 'v'), 0, {"tag"}}));
    store_->flush();
    const StoreStats stats = store_->stats();
    QCOMPARE(stats.entries, uint64_t{1});
    // stored key (3) + header (16) + tag (4 + 3) + value (100)
    QCOMPARE(stats.bytes, uint64_t{3 + 16 + 7 + 100});
    QVERIFY(stats.used_bytes > 0);
    QVERIFY(stats.write_batches >= 1);
  }

  void reclaimRemovesExpiredEntries() {
    reader_.reset();
    store_.reset();
    StoreOptions options;
    options.max_size = 16u << 20;
    options.sync = false;
    options.reclaim_interval_ms = 20;
    store_ = openStore(dir_.path() + "/cache", options);
    QVERIFY(store_);
    reader_ = store_->reader();
    const uint64_t now = static_cast<uint64_t>(QDateTime::currentMSecsSinceEpoch());
    QVERIFY(store_->put(PutRequest{"past", "v", now - 1, {"t"}}));
    QVERIFY(store_->put(PutRequest{"soon", "v", now + 150, {}}));
    QVERIFY(store_->put(PutRequest{"later", "v", now + 3'600'000, {}}));
    QVERIFY(store_->put(PutRequest{"never", "v", 0, {}}));
    QTRY_COMPARE_WITH_TIMEOUT(store_->stats().reclaimed, uint64_t{2}, 5000);
    QVERIFY(!reader_->get("past").found());
    QVERIFY(!reader_->get("soon").found());
    QVERIFY(reader_->get("later").found());
    QVERIFY(reader_->get("never").found());
    QCOMPARE(store_->stats().entries, uint64_t{2});
  }

  void touchesAreCheapAndBounded() {
    QVERIFY(store_->put(PutRequest{"hot", "v", 0, {}}));
    store_->flush();
    for (int i = 0; i < 100000; ++i) {
      store_->touch("hot");  // filtered: at most one queued per granularity window
      store_->touch("missing" + std::to_string(i % 10));
    }
    store_->touch("");
    store_->flush();
    // 60 s granularity: the entry was just stored, so it does not move.
    QCOMPARE(store_->stats().touches, uint64_t{0});
  }

 private:
  QTemporaryDir dir_;
  CacheStorePtr store_;
  std::unique_ptr<Reader> reader_;
};

QTEST_APPLESS_MAIN(CacheStoreTest)
#include "cache_store_test.moc"
