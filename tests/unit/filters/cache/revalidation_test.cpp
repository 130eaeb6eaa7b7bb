// Revalidation (engine/filters/cache/revalidation.h): the conditional fields sent upstream, whether a
// 304 applies, merging its fields (RFC 9111, 3.2 and 4.3.4) and the refreshed record.

#include "engine/filters/cache/revalidation.h"

#include <QtTest>

#include "engine/filters/cache/header_block.h"
#include "engine/filters/cache/record_builder.h"
#include "tests/unit/filters/cache/cache_test_util.h"

using cache_test::FieldStore;
using cache_test::q;
using namespace sluice::filters::cache;

namespace {

constexpr int64_t kT0 = 784111777;   // Sun, 06 Nov 1994 08:49:37 GMT
constexpr int64_t kT1 = kT0 + 1000;  // Sun, 06 Nov 1994 09:06:17 GMT

QString crlf(QString s) {
  return s.replace("\n", "\r\n");
}

}  // namespace

class RevalidationTest : public QObject {
  Q_OBJECT

 private slots:
  void conditionalFields() {
    StoredMeta m;
    QCOMPARE(q(conditionalHeaders(m)), QString());
    m.etag = "W/\"a\"";
    QCOMPARE(q(conditionalHeaders(m)), crlf("If-None-Match: W/\"a\"\n"));
    m.last_modified = "Sat, 05 Nov 1994 08:00:00 GMT";
    QCOMPARE(q(conditionalHeaders(m)),
             crlf("If-None-Match: W/\"a\"\nIf-Modified-Since: Sat, 05 Nov 1994 08:00:00 GMT\n"));
    m.etag = "";
    QCOMPARE(q(conditionalHeaders(m)), crlf("If-Modified-Since: Sat, 05 Nov 1994 08:00:00 GMT\n"));
  }

  void validatorFields() {
    QVERIFY(isCacheValidatorField("If-None-Match"));
    QVERIFY(isCacheValidatorField("if-modified-since"));
    QVERIFY(!isCacheValidatorField("If-Match"));
    QVERIFY(!isCacheValidatorField("If-Unmodified-Since"));
    QVERIFY(!isCacheValidatorField("If-Range"));
  }

  void applies_data() {
    QTest::addColumn<QString>("etag");
    QTest::addColumn<QString>("last_modified");
    QTest::addColumn<QString>("fields");  // of the 304
    QTest::addColumn<bool>("applies");
    QTest::newRow("same etag") << "\"a\""
                               << ""
                               << "ETag: \"a\"" << true;
    QTest::newRow("weak vs strong etag") << "\"a\""
                                         << ""
                                         << "ETag: W/\"a\"" << true;
    QTest::newRow("other etag") << "\"a\""
                                << ""
                                << "ETag: \"b\"" << false;
    QTest::newRow("etag but none stored") << ""
                                          << "Sat, 05 Nov 1994 08:00:00 GMT"
                                          << "ETag: \"b\"" << false;
    QTest::newRow("etag decides over last-modified")
        << "\"a\""
        << "Sat, 05 Nov 1994 08:00:00 GMT"
        << "ETag: \"a\"|Last-Modified: Mon, 07 Nov 1994 08:00:00 GMT" << true;
    QTest::newRow("same last-modified") << ""
                                        << "Sat, 05 Nov 1994 08:00:00 GMT"
                                        << "Last-Modified: Sat, 05 Nov 1994 08:00:00 GMT" << true;
    QTest::newRow("other last-modified") << ""
                                         << "Sat, 05 Nov 1994 08:00:00 GMT"
                                         << "Last-Modified: Mon, 07 Nov 1994 08:00:00 GMT" << false;
    QTest::newRow("no validator in the 304") << "\"a\""
                                             << ""
                                             << "Cache-Control: max-age=5" << true;
  }
  void applies() {
    QFETCH(QString, etag);
    QFETCH(QString, last_modified);
    QFETCH(QString, fields);
    QFETCH(bool, applies);
    FieldStore store;
    StoredMeta m;
    m.etag = store.keep(etag.toStdString());
    m.last_modified = store.keep(last_modified.toStdString());
    QCOMPARE(notModifiedApplies(m, store.fields(fields)), applies);
  }

  void merge_data() {
    QTest::addColumn<QString>("stored");
    QTest::addColumn<QString>("fields");
    QTest::addColumn<QString>("merged");
    const QString stored =
        "Content-Type: text/html\nETag: \"a\"\nCache-Control: max-age=60\nX-Old: 1\nX-Old: 2\nDate: Sun, 06 "
        "Nov "
        "1994 08:49:37 GMT\n";
    QTest::newRow("replaced, kept, added")
        << stored << "Cache-Control: max-age=120|x-old: 3|Date: Sun, 06 Nov 1994 09:06:17 GMT|X-New: n"
        << "Content-Type: text/html\nETag: \"a\"\nCache-Control: max-age=120\nx-old: 3\nDate: Sun, 06 Nov "
           "1994 "
           "09:06:17 GMT\nX-New: n\n";
    QTest::newRow("excluded fields never merged")
        << stored
        << "Connection: close, X-Hop|X-Hop: h|Content-Length: 0|Transfer-Encoding: chunked|Age: "
           "5|Set-Cookie: "
           "s=1|Cache-Status: up; hit|Proxy-Foo: p|Keep-Alive: timeout=5"
        << stored;
    QTest::newRow("several lines of one field replace all")
        << stored << "X-Old: 3|X-Old: 4"
        << "Content-Type: text/html\nETag: \"a\"\nCache-Control: max-age=60\nDate: "
           "Sun, 06 Nov 1994 08:49:37 GMT\nX-Old: 3\nX-Old: 4\n";
    QTest::newRow("empty 304") << stored << "" << stored;
    QTest::newRow("empty stored block") << ""
                                        << "ETag: \"b\""
                                        << "ETag: \"b\"\n";
  }
  void merge() {
    QFETCH(QString, stored);
    QFETCH(QString, fields);
    QFETCH(QString, merged);
    FieldStore store;
    QCOMPARE(q(mergeHeaders304(crlf(stored).toStdString(), store.fields(fields))), crlf(merged));
  }

  void refresh_data() {
    QTest::addColumn<QString>("stored");  // fields of the stored 200
    QTest::addColumn<QString>("fields");  // of the 304, received at kT1
    QTest::addColumn<qint64>("lifetime");
    QTest::addColumn<qint64>("initial_age");
    QTest::addColumn<QString>("etag");
    QTest::addColumn<QString>("cache_control");  // in the merged block
    const QString stored =
        "Date: Sun, 06 Nov 1994 08:49:37 GMT|Cache-Control: max-age=60|ETag: \"a\"|Content-Type: text/plain";
    // The 304 arrives at kT1, 1 s after its request: an initial age of at least 1.
    QTest::newRow("new max-age")
        << stored << "Date: Sun, 06 Nov 1994 09:06:17 GMT|Cache-Control: max-age=120|ETag: \"a\""
        << qint64(120) << qint64(1) << "\"a\""
        << "max-age=120";
    QTest::newRow("stored max-age, new date")
        << stored << "Date: Sun, 06 Nov 1994 09:06:17 GMT" << qint64(60) << qint64(1) << "\"a\""
        << "max-age=60";
    QTest::newRow("304 with Age") << stored << "Date: Sun, 06 Nov 1994 09:06:17 GMT|Age: 10" << qint64(60)
                                  << qint64(11) << "\"a\""
                                  << "max-age=60";
    QTest::newRow("304 without Date is dated on receipt")
        << stored << "" << qint64(60) << qint64(1) << "\"a\""
        << "max-age=60";
    QTest::newRow("new weak etag") << stored << "ETag: W/\"a\"|Cache-Control: no-cache" << qint64(0)
                                   << qint64(1) << "W/\"a\""
                                   << "no-cache";
    QTest::newRow("stored Expires, new Date")
        << "Date: Sun, 06 Nov 1994 08:49:37 GMT|Expires: Sun, 06 Nov 1994 "
           "09:49:37 GMT|ETag: \"a\"|Content-Type: text/plain"
        << "Date: Sun, 06 Nov 1994 09:06:17 GMT" << qint64(3600 - 1000) << qint64(1) << "\"a\""
        << "";
  }
  void refresh() {
    QFETCH(QString, stored);
    QFETCH(QString, fields);
    QFETCH(qint64, lifetime);
    QFETCH(qint64, initial_age);
    QFETCH(QString, etag);
    QFETCH(QString, cache_control);
    FieldStore store;
    PolicyLimits policy;
    policy.stale_if_error_s = 30;
    const sluice::http::ResponseHead original = store.response(200, stored);
    const std::string old_bytes =
        buildRecord(original, responseCacheControl(original.headers), policy, kT0, kT0, "the body");
    const std::optional<RecordView> old_view = decodeRecord(old_bytes);
    QVERIFY(old_view.has_value());

    const sluice::http::ResponseHead not_modified = store.response(304, fields);
    const std::optional<std::string> bytes = refreshRecord(*old_view, not_modified, policy, kT1 - 1, kT1);
    QVERIFY(bytes.has_value());
    const std::optional<RecordView> v = decodeRecord(*bytes);
    QVERIFY(v.has_value());
    QCOMPARE(v->meta.status, 200);
    QCOMPARE(v->meta.request_time_s, kT1 - 1);
    QCOMPARE(v->meta.response_time_s, kT1);
    QCOMPARE(v->meta.freshness_lifetime_s, lifetime);
    QCOMPARE(v->meta.corrected_initial_age_s, initial_age);
    QCOMPARE(q(blockField(v->header_block, "date")), QStringLiteral("Sun, 06 Nov 1994 09:06:17 GMT"));
    QCOMPARE(q(v->meta.etag), etag);
    QCOMPARE(q(v->body), QStringLiteral("the body"));
    QCOMPARE(q(blockField(v->header_block, "cache-control")), cache_control);
    QCOMPARE(q(blockField(v->header_block, "content-type")), QStringLiteral("text/plain"));
    QCOMPARE(q(blockField(v->header_block, "age")), QString());
  }

  void refreshRefusedForAnotherEtag() {
    FieldStore store;
    const sluice::http::ResponseHead original = store.response(200, "ETag: \"a\"|Cache-Control: max-age=5");
    const std::string old_bytes =
        buildRecord(original, responseCacheControl(original.headers), {}, kT0, kT0, "x");
    const std::optional<RecordView> old_view = decodeRecord(old_bytes);
    QVERIFY(old_view.has_value());
    QVERIFY(!refreshRecord(*old_view, store.response(304, "ETag: \"b\""), {}, kT1, kT1).has_value());
  }
};

QTEST_APPLESS_MAIN(RevalidationTest)
#include "revalidation_test.moc"
