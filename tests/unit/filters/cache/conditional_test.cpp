// Client conditionals answered from the cache (engine/filters/cache/conditional.h, entity_tag.h):
// RFC 9110, 13.2.2 precedence, weak and strong comparison, lists, "*", dates, and the 304's fields.

#include "engine/filters/cache/conditional.h"

#include <QtTest>

#include "engine/filters/cache/entity_tag.h"
#include "tests/unit/filters/cache/cache_test_util.h"

using cache_test::FieldStore;
using cache_test::q;
using namespace sluice::filters::cache;

namespace {

constexpr int64_t kNow = 784111777 + 86400;  // Mon, 07 Nov 1994 08:49:37 GMT

QString resultName(ConditionalResult r) {
  switch (r) {
    case ConditionalResult::Serve:
      return "200";
    case ConditionalResult::NotModified:
      return "304";
    case ConditionalResult::PreconditionFailed:
      return "412";
  }
  return "?";
}

}  // namespace

class ConditionalTest : public QObject {
  Q_OBJECT

 private slots:
  void evaluate_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("fields");  // of the request
    QTest::addColumn<QString>("etag");
    QTest::addColumn<QString>("last_modified");
    QTest::addColumn<QString>("date");  // in the stored block, "" = none
    QTest::addColumn<QString>("result");

    const QString lm = "Sun, 06 Nov 1994 08:49:37 GMT";  // the entry's Last-Modified
    const QString before = "Sun, 06 Nov 1994 08:49:36 GMT";
    const QString after = "Sun, 06 Nov 1994 08:49:38 GMT";
    const QString future = "Tue, 08 Nov 1994 08:49:37 GMT";  // later than kNow
    // No conditional.
    QTest::newRow("none") << "GET"
                          << ""
                          << "\"a\"" << lm << ""
                          << "200";
    // If-None-Match: weak comparison.
    QTest::newRow("INM match") << "GET"
                               << "If-None-Match: \"a\""
                               << "\"a\"" << lm << ""
                               << "304";
    QTest::newRow("INM no match") << "GET"
                                  << "If-None-Match: \"b\""
                                  << "\"a\"" << lm << ""
                                  << "200";
    QTest::newRow("INM weak vs strong") << "GET"
                                        << "If-None-Match: W/\"a\""
                                        << "\"a\""
                                        << ""
                                        << ""
                                        << "304";
    QTest::newRow("INM strong vs weak") << "GET"
                                        << "If-None-Match: \"a\""
                                        << "W/\"a\""
                                        << ""
                                        << ""
                                        << "304";
    QTest::newRow("INM list") << "GET"
                              << "If-None-Match: \"x\", W/\"y\" ,\"a\""
                              << "\"a\""
                              << ""
                              << ""
                              << "304";
    QTest::newRow("INM list over two lines") << "GET"
                                             << "If-None-Match: \"x\"|If-None-Match: \"a\""
                                             << "\"a\""
                                             << ""
                                             << ""
                                             << "304";
    QTest::newRow("INM tag with a comma") << "GET"
                                          << "If-None-Match: \"a,b\""
                                          << "\"a,b\""
                                          << ""
                                          << ""
                                          << "304";
    QTest::newRow("INM comma tag is not its halves") << "GET"
                                                     << "If-None-Match: \"a,b\""
                                                     << "\"a\""
                                                     << ""
                                                     << ""
                                                     << "200";
    QTest::newRow("INM star") << "GET"
                              << "If-None-Match: *"
                              << "\"a\""
                              << ""
                              << ""
                              << "304";
    QTest::newRow("INM star without an etag") << "GET"
                                              << "If-None-Match: *"
                                              << ""
                                              << ""
                                              << ""
                                              << "304";
    QTest::newRow("INM tag without an entry etag") << "GET"
                                                   << "If-None-Match: \"a\""
                                                   << "" << lm << ""
                                                   << "200";
    QTest::newRow("INM unquoted junk") << "GET"
                                       << "If-None-Match: a"
                                       << "a"
                                       << ""
                                       << ""
                                       << "200";
    QTest::newRow("INM case matters") << "GET"
                                      << "If-None-Match: \"A\""
                                      << "\"a\""
                                      << ""
                                      << ""
                                      << "200";
    QTest::newRow("INM on HEAD") << "HEAD"
                                 << "If-None-Match: \"a\""
                                 << "\"a\""
                                 << ""
                                 << ""
                                 << "304";
    QTest::newRow("INM on POST is ignored") << "POST"
                                            << "If-None-Match: \"a\""
                                            << "\"a\""
                                            << ""
                                            << ""
                                            << "200";
    // If-None-Match takes precedence over If-Modified-Since.
    QTest::newRow("INM mismatch beats IMS")
        << "GET" << QString("If-None-Match: \"b\"|If-Modified-Since: %1").arg(lm) << "\"a\"" << lm << ""
        << "200";
    QTest::newRow("INM match with an old IMS")
        << "GET" << QString("If-None-Match: \"a\"|If-Modified-Since: %1").arg(before) << "\"a\"" << lm << ""
        << "304";
    // If-Modified-Since against Last-Modified.
    QTest::newRow("IMS equal") << "GET" << QString("If-Modified-Since: %1").arg(lm) << "" << lm << ""
                               << "304";
    QTest::newRow("IMS later") << "GET" << QString("If-Modified-Since: %1").arg(after) << "" << lm << ""
                               << "304";
    QTest::newRow("IMS earlier") << "GET" << QString("If-Modified-Since: %1").arg(before) << "" << lm << ""
                                 << "200";
    QTest::newRow("IMS in asctime form") << "GET"
                                         << "If-Modified-Since: Sun Nov  6 08:49:37 1994"
                                         << "" << lm << ""
                                         << "304";
    QTest::newRow("IMS invalid") << "GET"
                                 << "If-Modified-Since: yesterday"
                                 << "" << lm << ""
                                 << "200";
    QTest::newRow("IMS twice") << "GET" << QString("If-Modified-Since: %1|If-Modified-Since: %1").arg(lm)
                               << "" << lm << ""
                               << "200";
    QTest::newRow("IMS in the future")
        << "GET" << QString("If-Modified-Since: %1").arg(future) << "" << lm << ""
        << "200";
    QTest::newRow("IMS against Date") << "GET" << QString("If-Modified-Since: %1").arg(lm) << ""
                                      << "" << lm << "304";
    QTest::newRow("IMS older than Date") << "GET" << QString("If-Modified-Since: %1").arg(before) << ""
                                         << "" << lm << "200";
    QTest::newRow("IMS against the response time") << "GET" << QString("If-Modified-Since: %1").arg(lm) << ""
                                                   << ""
                                                   << ""
                                                   << "304";
    QTest::newRow("IMS on POST is ignored")
        << "POST" << QString("If-Modified-Since: %1").arg(lm) << "" << lm << ""
        << "200";
    // If-Match: strong comparison, evaluated first.
    QTest::newRow("IM match") << "GET"
                              << "If-Match: \"a\""
                              << "\"a\""
                              << ""
                              << ""
                              << "200";
    QTest::newRow("IM weak request tag") << "GET"
                                         << "If-Match: W/\"a\""
                                         << "\"a\""
                                         << ""
                                         << ""
                                         << "412";
    QTest::newRow("IM weak entry tag") << "GET"
                                       << "If-Match: W/\"a\""
                                       << "W/\"a\""
                                       << ""
                                       << ""
                                       << "412";
    QTest::newRow("IM no match") << "GET"
                                 << "If-Match: \"b\""
                                 << "\"a\""
                                 << ""
                                 << ""
                                 << "412";
    QTest::newRow("IM star") << "GET"
                             << "If-Match: *"
                             << ""
                             << ""
                             << ""
                             << "200";
    QTest::newRow("IM list") << "GET"
                             << "If-Match: \"b\", \"a\""
                             << "\"a\""
                             << ""
                             << ""
                             << "200";
    QTest::newRow("IM fails before INM") << "GET"
                                         << "If-Match: \"b\"|If-None-Match: \"a\""
                                         << "\"a\""
                                         << ""
                                         << ""
                                         << "412";
    QTest::newRow("IM passes, then INM") << "GET"
                                         << "If-Match: \"a\"|If-None-Match: \"a\""
                                         << "\"a\""
                                         << ""
                                         << ""
                                         << "304";
    QTest::newRow("IM on POST") << "POST"
                                << "If-Match: \"b\""
                                << "\"a\""
                                << ""
                                << ""
                                << "412";
    // If-Unmodified-Since.
    QTest::newRow("IUS earlier") << "GET" << QString("If-Unmodified-Since: %1").arg(before) << "" << lm << ""
                                 << "412";
    QTest::newRow("IUS equal") << "GET" << QString("If-Unmodified-Since: %1").arg(lm) << "" << lm << ""
                               << "200";
    QTest::newRow("IUS without Last-Modified is ignored")
        << "GET" << QString("If-Unmodified-Since: %1").arg(before) << ""
        << "" << lm << "200";
    QTest::newRow("IUS invalid is ignored") << "GET"
                                            << "If-Unmodified-Since: 0"
                                            << "" << lm << ""
                                            << "200";
    QTest::newRow("IUS ignored when If-Match is present")
        << "GET" << QString("If-Match: \"a\"|If-Unmodified-Since: %1").arg(before) << "\"a\"" << lm << ""
        << "200";
    // If-Range is not ours to evaluate.
    QTest::newRow("If-Range ignored") << "GET"
                                      << "If-Range: \"b\""
                                      << "\"a\""
                                      << ""
                                      << ""
                                      << "200";
  }
  void evaluate() {
    QFETCH(QString, method);
    QFETCH(QString, fields);
    QFETCH(QString, etag);
    QFETCH(QString, last_modified);
    QFETCH(QString, date);
    QFETCH(QString, result);
    FieldStore store;
    RecordView entry;
    entry.meta.status = 200;
    entry.meta.response_time_s = 784111777;  // = the Last-Modified used above
    entry.meta.etag = store.keep(etag.toStdString());
    entry.meta.last_modified = store.keep(last_modified.toStdString());
    entry.header_block =
        store.keep(date.isEmpty() ? std::string("X: y\r\n") : "X: y\r\nDate: " + date.toStdString() + "\r\n");
    const sluice::http::RequestHead req = store.request(method, fields);
    QCOMPARE(resultName(evaluateConditionals(req, entry, kNow)), result);
  }

  void tagComparison_data() {
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("weak");
    QTest::addColumn<bool>("strong");
    // RFC 9110, 8.8.3.2's table.
    QTest::newRow("W/1 W/1") << "W/\"1\""
                             << "W/\"1\"" << true << false;
    QTest::newRow("W/1 W/2") << "W/\"1\""
                             << "W/\"2\"" << false << false;
    QTest::newRow("W/1 1") << "W/\"1\""
                           << "\"1\"" << true << false;
    QTest::newRow("1 1") << "\"1\""
                         << "\"1\"" << true << true;
    QTest::newRow("empty tags") << "\"\""
                                << "\"\"" << true << true;
    QTest::newRow("unquoted") << "1"
                              << "1" << false << false;
    QTest::newRow("lower-case w") << "w/\"1\""
                                  << "\"1\"" << false << false;
    QTest::newRow("inner quote") << "\"1\"2\""
                                 << "\"1\"2\"" << false << false;
    QTest::newRow("OWS around") << " \"1\" "
                                << "\"1\"" << true << true;
    QTest::newRow("empty") << ""
                           << "" << false << false;
  }
  void tagComparison() {
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, weak);
    QFETCH(bool, strong);
    QCOMPARE(tagsMatch(a.toStdString(), b.toStdString(), TagCompare::Weak), weak);
    QCOMPARE(tagsMatch(a.toStdString(), b.toStdString(), TagCompare::Strong), strong);
    QCOMPARE(tagsMatch(b.toStdString(), a.toStdString(), TagCompare::Weak), weak);
  }

  void tagLists() {
    QVERIFY(tagListMatches("*", "", TagCompare::Strong));
    QVERIFY(tagListMatches(" * ", "\"a\"", TagCompare::Strong));
    QVERIFY(!tagListMatches("*x", "\"a\"", TagCompare::Weak));
    QVERIFY(!tagListMatches("", "\"a\"", TagCompare::Weak));
    QVERIFY(!tagListMatches(",,, ,", "\"a\"", TagCompare::Weak));
    QVERIFY(tagListMatches("junk, \"a\"", "\"a\"", TagCompare::Weak));
    QVERIFY(!tagListMatches("\"unterminated, \"a\"", "\"b\"", TagCompare::Weak));
    QVERIFY(tagListMatches("W/\"x,y\", W/\"a\"", "\"a\"", TagCompare::Weak));
  }

  void notModifiedFields() {
    const std::string block =
        "Content-Type: text/html\r\nContent-Length: 5\r\nETag: \"a\"\r\nCache-Control: max-age=5\r\nExpires: "
        "x\r\n"
        "Vary: Accept\r\nLast-Modified: lm\r\nDate: d\r\nContent-Location: /a.html\r\nContent-Encoding: "
        "gzip\r\n"
        "X-Custom: 1\r\ncache-control: public\r\n";
    QCOMPARE(q(notModifiedHeaderBlock(block)),
             QStringLiteral(
                 "ETag: \"a\"\r\nCache-Control: max-age=5\r\nExpires: x\r\nVary: Accept\r\n"
                 "Last-Modified: lm\r\nDate: d\r\nContent-Location: /a.html\r\ncache-control: public\r\n"));
    QCOMPARE(q(notModifiedHeaderBlock("")), QString());
  }
};

QTEST_APPLESS_MAIN(ConditionalTest)
#include "conditional_test.moc"
