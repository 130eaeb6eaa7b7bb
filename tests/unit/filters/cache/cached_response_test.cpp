// The stored record (engine/filters/cache/cached_response.h, stored_meta.h, record_builder.h): round
// trips, rejection of truncated and corrupted records, random byte flips (run under ASan), reclaimAt,
// and building a record from a response.

#include "engine/filters/cache/cached_response.h"

#include <QtTest>
#include <random>

#include "engine/filters/cache/record_builder.h"
#include "tests/unit/filters/cache/cache_test_util.h"

using cache_test::FieldStore;
using cache_test::q;
using namespace sluice::filters::cache;

namespace {

StoredMeta sampleMeta() {
  StoredMeta m;
  m.request_time_s = 1'700'000'000;
  m.response_time_s = 1'700'000'001;
  m.corrected_initial_age_s = 3;
  m.freshness_lifetime_s = 600;
  m.stale_while_revalidate_s = 30;
  m.stale_if_error_s = 86400;
  m.flags = kFlagMustRevalidate | kFlagHeuristic;
  m.status = 203;
  m.etag = "W/\"abc\"";
  m.last_modified = "Sun, 06 Nov 1994 08:49:37 GMT";
  m.vary = "accept,accept-encoding";
  return m;
}

const std::string kBlock = "Content-Type: text/plain\r\nETag: W/\"abc\"\r\n";
const std::string kBody = std::string("body with a NUL \0 inside", 24);

bool within(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

// Every view of a decoded record lies inside the bytes it was decoded from.
void checkViews(const RecordView& v, std::string_view bytes) {
  QVERIFY(within(v.meta.etag, bytes));
  QVERIFY(within(v.meta.last_modified, bytes));
  QVERIFY(within(v.meta.vary, bytes));
  QVERIFY(within(v.header_block, bytes));
  QVERIFY(within(v.body, bytes));
}

}  // namespace

class CachedResponseTest : public QObject {
  Q_OBJECT

 private slots:
  void roundTrip() {
    const StoredMeta m = sampleMeta();
    const std::string bytes = encodeRecord(m, kBlock, kBody);
    QCOMPARE(bytes.size(), recordSize(m, kBlock.size(), kBody.size()));
    const std::optional<RecordView> v = decodeRecord(bytes);
    QVERIFY(v.has_value());
    QCOMPARE(v->meta.request_time_s, m.request_time_s);
    QCOMPARE(v->meta.response_time_s, m.response_time_s);
    QCOMPARE(v->meta.corrected_initial_age_s, m.corrected_initial_age_s);
    QCOMPARE(v->meta.freshness_lifetime_s, m.freshness_lifetime_s);
    QCOMPARE(v->meta.stale_while_revalidate_s, m.stale_while_revalidate_s);
    QCOMPARE(v->meta.stale_if_error_s, m.stale_if_error_s);
    QCOMPARE(v->meta.flags, m.flags);
    QCOMPARE(v->meta.status, 203);
    QCOMPARE(v->meta.etag, m.etag);
    QCOMPARE(v->meta.last_modified, m.last_modified);
    QCOMPARE(v->meta.vary, m.vary);
    QCOMPARE(v->header_block, std::string_view(kBlock));
    QCOMPARE(v->body, std::string_view(kBody));
    checkViews(*v, bytes);
    // The body is the tail of the record: a hit sends it from there.
    QCOMPARE(v->body.data() + v->body.size(), bytes.data() + bytes.size());
  }

  void emptyPartsAndExtremes() {
    StoredMeta m;
    m.status = 200;
    m.request_time_s = INT64_MIN;
    m.response_time_s = INT64_MAX;
    const std::string bytes = encodeRecord(m, "", "");
    QCOMPARE(bytes.size(), kRecordFixedSize);
    const std::optional<RecordView> v = decodeRecord(bytes);
    QVERIFY(v.has_value());
    QCOMPARE(v->meta.request_time_s, INT64_MIN);
    QCOMPARE(v->meta.response_time_s, INT64_MAX);
    QVERIFY(v->meta.etag.empty() && v->header_block.empty() && v->body.empty());
  }

  void writeInPlace() {
    const StoredMeta m = sampleMeta();
    std::string buffer(recordSize(m, kBlock.size(), kBody.size()), 'x');
    writeRecord(buffer.data(), m, kBlock, kBody);
    QCOMPARE(buffer, encodeRecord(m, kBlock, kBody));
  }

  void everyTruncationRejected() {
    const std::string bytes = encodeRecord(sampleMeta(), kBlock, kBody);
    for (size_t n = 0; n < bytes.size(); ++n) {
      // Its own heap copy, so ASan sees any read past the end.
      const std::string cut = bytes.substr(0, n);
      QVERIFY2(!decodeRecord(cut).has_value(), qPrintable(QString::number(n)));
    }
    QVERIFY(!decodeRecord(bytes + '\0').has_value());
  }

  void everyLengthFieldChecked() {
    const std::string bytes = encodeRecord(sampleMeta(), kBlock, kBody);
    // The four u32 lengths at 60..75 and the u64 body length at 76.
    for (size_t at : {60, 64, 68, 72, 76}) {
      for (int delta : {-1, 1, 128, 255}) {
        std::string bad = bytes;
        bad[at] = static_cast<char>(static_cast<unsigned char>(bad[at]) + delta);
        QVERIFY2(!decodeRecord(bad).has_value(), qPrintable(QStringLiteral("%1 %2").arg(at).arg(delta)));
      }
      std::string huge = bytes;
      for (size_t i = at; i < at + (at == 76 ? 8u : 4u); ++i) {
        huge[i] = static_cast<char>(0xff);
      }
      QVERIFY(!decodeRecord(huge).has_value());
    }
  }

  void invalidHeaderRejected_data() {
    QTest::addColumn<int>("offset");
    QTest::addColumn<int>("value");
    QTest::newRow("magic") << 0 << int('X');
    QTest::newRow("version 0") << 4 << 0;
    QTest::newRow("version 2") << 4 << 2;
    QTest::newRow("reserved") << 5 << 1;
    QTest::newRow("status 99") << 6 << 99;
    QTest::newRow("unknown flag") << 8 << 0x80;
    QTest::newRow("negative initial age") << 35 << 0x80;
    QTest::newRow("negative lifetime") << 43 << 0x80;
    QTest::newRow("negative swr") << 51 << 0x80;
    QTest::newRow("negative sie") << 59 << 0x80;
  }
  void invalidHeaderRejected() {
    QFETCH(int, offset);
    QFETCH(int, value);
    StoredMeta m = sampleMeta();
    m.flags = 0;
    std::string bytes = encodeRecord(m, kBlock, kBody);
    bytes[static_cast<size_t>(offset)] = static_cast<char>(value);
    if (offset == 6) {
      bytes[7] = 0;
    }
    QVERIFY(!decodeRecord(bytes).has_value());
  }

  void statusBounds() {
    StoredMeta m = sampleMeta();
    for (int status : {100, 599}) {
      m.status = status;
      QVERIFY(decodeRecord(encodeRecord(m, "", "")).has_value());
    }
    m.status = 600;
    QVERIFY(!decodeRecord(encodeRecord(m, "", "")).has_value());
  }

  void randomFlipsNeverCrash() {
    const std::string good = encodeRecord(sampleMeta(), kBlock, kBody);
    std::mt19937 rng(12345);
    int decoded = 0;
    for (int i = 0; i < 20000; ++i) {
      std::string bytes = good;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) {
        bytes[rng() % bytes.size()] = static_cast<char>(rng());
      }
      if (rng() % 4 == 0) {
        bytes.resize(rng() % (bytes.size() + 1));
      }
      const std::string copy = bytes;  // exactly sized heap buffer for ASan
      if (const std::optional<RecordView> v = decodeRecord(copy)) {
        ++decoded;
        checkViews(*v, copy);
        QCOMPARE(recordSize(v->meta, v->header_block.size(), v->body.size()), copy.size());
      }
    }
    // Flips in the body or the strings leave a valid record: some decode, most do not.
    QVERIFY(decoded > 0);
    QVERIFY(decoded < 20000);
  }

  void reclaim_data() {
    QTest::addColumn<qint64>("lifetime");
    QTest::addColumn<qint64>("initial_age");
    QTest::addColumn<qint64>("swr");
    QTest::addColumn<qint64>("sie");
    QTest::addColumn<bool>("validator");
    QTest::addColumn<qint64>("at_s");  // seconds after the response time
    QTest::addColumn<bool>("worth");
    QTest::newRow("lifetime only") << qint64(60) << qint64(0) << qint64(0) << qint64(0) << false << qint64(60)
                                   << true;
    QTest::newRow("initial age shortens it")
        << qint64(60) << qint64(20) << qint64(0) << qint64(0) << false << qint64(40) << true;
    QTest::newRow("larger stale window counts")
        << qint64(60) << qint64(0) << qint64(30) << qint64(300) << false << qint64(360) << true;
    QTest::newRow("validator grace at least 1h")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << true << qint64(60 + 3600) << true;
    QTest::newRow("validator grace = lifetime")
        << qint64(7200) << qint64(0) << qint64(0) << qint64(0) << true << qint64(7200 + 7200) << true;
    QTest::newRow("validator grace capped at 1 day")
        << qint64(864000) << qint64(0) << qint64(0) << qint64(0) << true << qint64(864000 + 86400) << true;
    QTest::newRow("stale on arrival, nothing to keep")
        << qint64(0) << qint64(0) << qint64(0) << qint64(0) << false << qint64(0) << false;
    QTest::newRow("arrived older than its lifetime")
        << qint64(60) << qint64(100) << qint64(0) << qint64(0) << false << qint64(-40) << false;
    QTest::newRow("stale on arrival with stale-if-error")
        << qint64(0) << qint64(0) << qint64(0) << qint64(600) << false << qint64(600) << true;
    QTest::newRow("no-cache entry with a validator")
        << qint64(0) << qint64(0) << qint64(0) << qint64(0) << true << qint64(3600) << true;
  }
  void reclaim() {
    QFETCH(qint64, lifetime);
    QFETCH(qint64, initial_age);
    QFETCH(qint64, swr);
    QFETCH(qint64, sie);
    QFETCH(bool, validator);
    QFETCH(qint64, at_s);
    QFETCH(bool, worth);
    StoredMeta m;
    m.response_time_s = 1'700'000'000;
    m.freshness_lifetime_s = lifetime;
    m.corrected_initial_age_s = initial_age;
    m.stale_while_revalidate_s = swr;
    m.stale_if_error_s = sie;
    if (validator) {
      m.etag = "\"v\"";
    }
    QCOMPARE(reclaimAt(m), static_cast<uint64_t>((1'700'000'000 + at_s) * 1000));
    QCOMPARE(worthStoring(m), worth);
  }

  void reclaimNeverOverflows() {
    StoredMeta m;
    m.response_time_s = INT64_MAX;
    m.freshness_lifetime_s = INT64_MAX;
    m.stale_if_error_s = INT64_MAX;
    m.etag = "\"v\"";
    QVERIFY(reclaimAt(m) > 0);
    m.response_time_s = INT64_MIN;
    m.corrected_initial_age_s = INT64_MAX;
    m.stale_if_error_s = 0;
    m.etag = "";
    QCOMPARE(reclaimAt(m), uint64_t{0});
  }

  void buildFromResponse() {
    FieldStore store;
    const sluice::http::ResponseHead resp = store.response(
        200,
        "Date: Sun, 06 Nov 1994 08:49:37 GMT|Cache-Control: max-age=120, stale-if-error=60|ETag: \"e1\"|"
        "Last-Modified: Sat, 05 Nov 1994 08:00:00 GMT|Vary: Accept-Encoding, Accept|Content-Type: text/plain|"
        "Content-Length: 5|Connection: close|Age: 10");
    PolicyLimits policy;
    policy.stale_while_revalidate_s = 15;
    const std::string bytes =
        buildRecord(resp, responseCacheControl(resp.headers), policy, 784111777, 784111777, "hello");
    const std::optional<RecordView> v = decodeRecord(bytes);
    QVERIFY(v.has_value());
    QCOMPARE(v->meta.status, 200);
    QCOMPARE(v->meta.freshness_lifetime_s, int64_t{120});
    QCOMPARE(v->meta.corrected_initial_age_s, int64_t{10});
    QCOMPARE(v->meta.stale_while_revalidate_s, int64_t{15});
    QCOMPARE(v->meta.stale_if_error_s, int64_t{60});
    QCOMPARE(v->meta.flags, uint32_t{0});
    QCOMPARE(q(v->meta.etag), QStringLiteral("\"e1\""));
    QCOMPARE(q(v->meta.last_modified), QStringLiteral("Sat, 05 Nov 1994 08:00:00 GMT"));
    QCOMPARE(q(v->meta.vary), QStringLiteral("accept,accept-encoding"));
    QCOMPARE(q(v->header_block),
             QStringLiteral(
                 "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nCache-Control: max-age=120, stale-if-error=60\r\n"
                 "ETag: \"e1\"\r\nLast-Modified: Sat, 05 Nov 1994 08:00:00 GMT\r\n"
                 "Vary: Accept-Encoding, Accept\r\nContent-Type: text/plain\r\n"));
    QCOMPARE(q(v->body), QStringLiteral("hello"));
  }

  void buildAddsAMissingDate() {
    FieldStore store;
    const sluice::http::ResponseHead resp = store.response(404, "Content-Type: text/plain");
    const std::string bytes =
        buildRecord(resp, responseCacheControl(resp.headers), {}, 784111777, 784111777, "");
    const std::optional<RecordView> v = decodeRecord(bytes);
    QVERIFY(v.has_value());
    QCOMPARE(q(v->header_block),
             QStringLiteral("Content-Type: text/plain\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"));
    QVERIFY(v->meta.hasFlag(kFlagHeuristic));
    QVERIFY(!v->meta.hasValidator());
  }
};

QTEST_APPLESS_MAIN(CachedResponseTest)
#include "cached_response_test.moc"
