// Invalidation after unsafe requests (engine/filters/cache/invalidation.h, RFC 9111, 4.4).

#include "engine/filters/cache/invalidation.h"

#include <QtTest>

#include "tests/unit/filters/cache/cache_test_util.h"

using cache_test::FieldStore;
using namespace sluice::filters::cache;

class InvalidationTest : public QObject {
  Q_OBJECT

 private slots:
  void keys_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("fields");  // of the response
    QTest::addColumn<QString>("keys");    // space-separated

    // Which requests invalidate.
    QTest::newRow("POST 200") << "POST"
                              << "/a"
                              << "" << 200 << ""
                              << "http://h/a";
    QTest::newRow("PUT 201") << "PUT"
                             << "/a"
                             << "" << 201 << ""
                             << "http://h/a";
    QTest::newRow("DELETE 204") << "DELETE"
                                << "/a"
                                << "" << 204 << ""
                                << "http://h/a";
    QTest::newRow("PATCH 303") << "PATCH"
                               << "/a"
                               << "" << 303 << ""
                               << "http://h/a";
    QTest::newRow("unknown method") << "PURGE"
                                    << "/a"
                                    << "" << 200 << ""
                                    << "http://h/a";
    QTest::newRow("query is part of the key") << "POST"
                                              << "/a"
                                              << "x=1" << 200 << ""
                                              << "http://h/a?x=1";
    QTest::newRow("GET") << "GET"
                         << "/a"
                         << "" << 200 << ""
                         << "";
    QTest::newRow("HEAD") << "HEAD"
                          << "/a"
                          << "" << 200 << ""
                          << "";
    QTest::newRow("OPTIONS") << "OPTIONS"
                             << "/a"
                             << "" << 200 << ""
                             << "";
    QTest::newRow("TRACE") << "TRACE"
                           << "/a"
                           << "" << 200 << ""
                           << "";
    QTest::newRow("POST 1xx") << "POST"
                              << "/a"
                              << "" << 100 << ""
                              << "";
    QTest::newRow("POST 400") << "POST"
                              << "/a"
                              << "" << 400 << ""
                              << "";
    QTest::newRow("POST 404") << "POST"
                              << "/a"
                              << "" << 404 << ""
                              << "";
    QTest::newRow("POST 500") << "POST"
                              << "/a"
                              << "" << 500 << ""
                              << "";
    QTest::newRow("POST 399") << "POST"
                              << "/a"
                              << "" << 399 << ""
                              << "http://h/a";
    // Location and Content-Location, same host only.
    QTest::newRow("absolute path") << "POST"
                                   << "/a"
                                   << "" << 201 << "Location: /b"
                                   << "http://h/a http://h/b";
    QTest::newRow("absolute URL, same host") << "POST"
                                             << "/a"
                                             << "" << 201 << "Location: http://H:80/c?q=1"
                                             << "http://h/a http://h/c?q=1";
    QTest::newRow("https URL, same host") << "POST"
                                          << "/a"
                                          << "" << 201 << "Location: https://h/c"
                                          << "http://h/a http://h/c";
    QTest::newRow("other host") << "POST"
                                << "/a"
                                << "" << 201 << "Location: http://other/c"
                                << "http://h/a";
    QTest::newRow("host with our host as prefix") << "POST"
                                                  << "/a"
                                                  << "" << 201 << "Location: http://hx/c"
                                                  << "http://h/a";
    QTest::newRow("other port") << "POST"
                                << "/a"
                                << "" << 201 << "Location: http://h:8080/c"
                                << "http://h/a";
    QTest::newRow("network-path reference") << "POST"
                                            << "/a"
                                            << "" << 201 << "Location: //h/d"
                                            << "http://h/a http://h/d";
    QTest::newRow("network-path, other host") << "POST"
                                              << "/a"
                                              << "" << 201 << "Location: //o/d"
                                              << "http://h/a";
    QTest::newRow("relative path") << "POST"
                                   << "/x/y"
                                   << "" << 201 << "Location: e"
                                   << "http://h/x/y http://h/x/e";
    QTest::newRow("dot segments") << "POST"
                                  << "/x/y/z"
                                  << "" << 201 << "Location: ../f/./g"
                                  << "http://h/x/y/z http://h/x/f/g";
    QTest::newRow("too many dot segments") << "POST"
                                           << "/x"
                                           << "" << 201 << "Location: ../../a"
                                           << "http://h/x http://h/a";
    QTest::newRow("dot segments in an absolute path") << "POST"
                                                      << "/x"
                                                      << "" << 201 << "Location: /p/../q"
                                                      << "http://h/x http://h/q";
    QTest::newRow("query only") << "POST"
                                << "/a"
                                << "" << 201 << "Location: ?q=1"
                                << "http://h/a http://h/a?q=1";
    QTest::newRow("fragment only is the target") << "POST"
                                                 << "/a"
                                                 << "k=v" << 201 << "Location: #top"
                                                 << "http://h/a?k=v";
    QTest::newRow("fragment dropped") << "POST"
                                      << "/a"
                                      << "" << 201 << "Location: /b#frag"
                                      << "http://h/a http://h/b";
    QTest::newRow("content-location") << "PUT"
                                      << "/a"
                                      << "" << 200 << "Content-Location: /a.json"
                                      << "http://h/a http://h/a.json";
    QTest::newRow("both, deduplicated")
        << "POST"
        << "/a"
        << "" << 201 << "Location: /b|Content-Location: http://h/b|Location: /a"
        << "http://h/a http://h/b";
    QTest::newRow("other schemes ignored") << "POST"
                                           << "/a"
                                           << "" << 201 << "Location: mailto:x@h"
                                           << "http://h/a";
    QTest::newRow("colon after a slash is a path") << "POST"
                                                   << "/a"
                                                   << "" << 201 << "Location: /b:c"
                                                   << "http://h/a http://h/b:c";
    QTest::newRow("ignored on errors") << "POST"
                                       << "/a"
                                       << "" << 500 << "Location: /b"
                                       << "";
  }
  void keys() {
    QFETCH(QString, method);
    QFETCH(QString, path);
    QFETCH(QString, query);
    QFETCH(int, status);
    QFETCH(QString, fields);
    QFETCH(QString, keys);
    FieldStore store;
    const sluice::http::RequestHead req =
        store.request(method, "", "h", store.keep(path.toStdString()), store.keep(query.toStdString()));
    const sluice::http::ResponseHead resp = store.response(status, fields);
    QStringList got;
    for (const std::string& k : invalidatedKeys(req, resp)) {
      got << QString::fromStdString(k);
    }
    QCOMPARE(got.join(' '), keys);
  }

  void safeMethods() {
    for (const char* m : {"GET", "HEAD", "OPTIONS", "TRACE"}) {
      QVERIFY(isSafeMethod(m));
    }
    for (const char* m : {"POST", "PUT", "DELETE", "PATCH", "CONNECT", "get", ""}) {
      QVERIFY(!isSafeMethod(m));
    }
  }
};

QTEST_APPLESS_MAIN(InvalidationTest)
#include "invalidation_test.moc"
