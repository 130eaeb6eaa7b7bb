#include "storage/key_codec.h"

#include <QtTest>
#include <cstring>
#include <string>
#include <vector>

#include "storage/record.h"

using namespace sluice::storage;

class KeyCodecTest : public QObject {
  Q_OBJECT

 private slots:
  void shortKeysAreStoredAsThemselves() {
    const std::string key("a\0b\xff", 4);
    const StoredKey stored(key);
    QCOMPARE(stored.view(), std::string_view(key));
    QVERIFY(!stored.isLong());
    const std::string edge(kDirectKeyMax, 'x');
    QCOMPARE(StoredKey(edge).view(), std::string_view(edge));
  }

  void longKeysKeepTheirPrefixAndDifferByDigest() {
    const std::string base(kDirectKeyMax, 'k');
    const std::string a = base + "a";
    const std::string b = base + "b";
    const StoredKey sa(a);
    const StoredKey sb(b);
    QVERIFY(sa.isLong());
    QCOMPARE(sa.view().size(), kLongKeySize);
    QVERIFY(sa.view().starts_with(base));
    QCOMPARE(static_cast<unsigned char>(sa.view()[kDirectKeyMax]), kLongKeyMarker);
    QVERIFY(sa.view() != sb.view());
    QCOMPARE(StoredKey(a).view(), sa.view());  // deterministic
    const std::string biggest(kMaxKeyBytes, 'z');
    QVERIFY(isValidKey(biggest));
    QVERIFY(!isValidKey(biggest + "z"));
    QVERIFY(!isValidKey(""));
    QCOMPARE(StoredKey(biggest).view().size(), kLongKeySize);
  }

  void indexKeysSortByTimeThenKey() {
    const IndexKey early(1000, "zzz");
    const IndexKey late(1001, "aaa");
    QVERIFY(early.view() < late.view());
    QCOMPARE(IndexKey::time(late.view()), uint64_t{1001});
    QCOMPARE(IndexKey::storedKey(late.view()), std::string_view("aaa"));
    const IndexKey big(0x0102030405060708ull, "k");
    QCOMPARE(IndexKey::time(big.view()), uint64_t{0x0102030405060708ull});
  }

  void recordsRoundTrip() {
    const std::vector<std::string> tags = {"alpha", std::string(500, 't')};
    const std::string full_key(600, 'f');
    const std::string value("value\0bytes", 11);
    std::string record(recordSize(full_key.size(), tagsBlockSize(tags), value.size()), '\0');
    writeRecord(record.data(), 12345, full_key, tags, value);
    const auto parsed = parseRecord(record);
    QVERIFY(parsed);
    QCOMPARE(parsed->reclaim_at_ms, uint64_t{12345});
    QCOMPARE(parsed->full_key, std::string_view(full_key));
    QCOMPARE(parsed->value, std::string_view(value));
    std::vector<std::string> seen;
    QVERIFY(forEachTag(parsed->tags, [&](std::string_view t) { seen.emplace_back(t); }));
    QCOMPARE(seen, tags);
    QVERIFY(hasTag(parsed->tags, "alpha"));
    QVERIFY(!hasTag(parsed->tags, "alph"));
  }

  void malformedRecordsAreRejected() {
    QVERIFY(!parseRecord("short"));
    std::string record(kRecordHeaderSize, '\0');
    const uint32_t huge = 1000;
    std::memcpy(record.data() + 8, &huge, 4);
    QVERIFY(!parseRecord(record));
    QVERIFY(!forEachTag(std::string_view("\x05\0\0\0ab", 6), [](std::string_view) {}));
  }
};

QTEST_APPLESS_MAIN(KeyCodecTest)
#include "key_codec_test.moc"
