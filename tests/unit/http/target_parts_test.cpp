// Request-target splitting (engine/http/target_parts.h).

#include "engine/http/target_parts.h"

#include <QtTest>
#include <string>

using sluice::http::splitTarget;
using sluice::http::TargetParts;

class TargetPartsTest : public QObject {
  Q_OBJECT

 private slots:
  void valid_data() {
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("authority");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("query");
    QTest::newRow("root") << "/"
                          << ""
                          << "/"
                          << "";
    QTest::newRow("path") << "/a/b.html"
                          << ""
                          << "/a/b.html"
                          << "";
    QTest::newRow("query") << "/search?q=1&r=2"
                           << ""
                           << "/search"
                           << "q=1&r=2";
    QTest::newRow("empty query") << "/x?"
                                 << ""
                                 << "/x"
                                 << "";
    QTest::newRow("second ?") << "/x?a=1?b"
                              << ""
                              << "/x"
                              << "a=1?b";
    QTest::newRow("fragment-like") << "/x#y"
                                   << ""
                                   << "/x#y"
                                   << "";
    QTest::newRow("asterisk") << "*"
                              << ""
                              << "*"
                              << "";
    QTest::newRow("absolute") << "http://example.com/a?b=c"
                              << "example.com"
                              << "/a"
                              << "b=c";
    QTest::newRow("absolute port") << "http://example.com:8080/a"
                                   << "example.com:8080"
                                   << "/a"
                                   << "";
    QTest::newRow("absolute https upper") << "HTTPS://Example.COM/x"
                                          << "Example.COM"
                                          << "/x"
                                          << "";
    QTest::newRow("absolute no path") << "http://example.com"
                                      << "example.com"
                                      << "/"
                                      << "";
    QTest::newRow("absolute query only") << "http://example.com?x=1"
                                         << "example.com"
                                         << "/"
                                         << "x=1";
    QTest::newRow("absolute ipv6") << "http://[::1]:8080/p"
                                   << "[::1]:8080"
                                   << "/p"
                                   << "";
  }
  void valid() {
    QFETCH(QString, target);
    QFETCH(QString, authority);
    QFETCH(QString, path);
    QFETCH(QString, query);
    const std::string t = target.toStdString();
    TargetParts parts;
    QVERIFY(splitTarget(t, parts));
    QCOMPARE(std::string(parts.authority), authority.toStdString());
    QCOMPARE(std::string(parts.path), path.toStdString());
    QCOMPARE(std::string(parts.query), query.toStdString());
  }

  void invalid_data() {
    QTest::addColumn<QString>("target");
    QTest::newRow("empty") << "";
    QTest::newRow("relative") << "a/b";
    QTest::newRow("authority-form") << "example.com:443";
    QTest::newRow("other scheme") << "ftp://example.com/x";
    QTest::newRow("no authority") << "http:///x";
    QTest::newRow("no authority, query") << "http://?x";
    QTest::newRow("asterisk with more") << "**";
  }
  void invalid() {
    QFETCH(QString, target);
    const std::string t = target.toStdString();
    TargetParts parts;
    parts.path = "stale";
    QVERIFY(!splitTarget(t, parts));
  }

  void viewsPointIntoTheTarget() {
    const std::string t = "http://h/p?q";
    TargetParts parts;
    QVERIFY(splitTarget(t, parts));
    QCOMPARE(static_cast<const void*>(parts.authority.data()), static_cast<const void*>(t.data() + 7));
    QCOMPARE(static_cast<const void*>(parts.path.data()), static_cast<const void*>(t.data() + 8));
    QCOMPARE(static_cast<const void*>(parts.query.data()), static_cast<const void*>(t.data() + 11));
  }
};

QTEST_APPLESS_MAIN(TargetPartsTest)
#include "target_parts_test.moc"
