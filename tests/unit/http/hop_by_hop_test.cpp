// Hop-by-hop header classification (engine/http/hop_by_hop.h).

#include "engine/http/hop_by_hop.h"

#include <QtTest>
#include <string>

using sluice::http::connectionHeader;
using sluice::http::HeaderList;
using sluice::http::isHopByHop;

class HopByHopTest : public QObject {
  Q_OBJECT

 private slots:
  void fixedNames_data() {
    QTest::addColumn<QString>("name");
    for (const char* name :
         {"Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
          "Proxy-Authorization", "Proxy-Authenticate", "Content-Length"}) {
      QTest::newRow(name) << QString::fromLatin1(name);
    }
    QTest::newRow("lower case") << QStringLiteral("transfer-encoding");
    QTest::newRow("upper case") << QStringLiteral("KEEP-ALIVE");
  }
  void fixedNames() {
    QFETCH(QString, name);
    const std::string n = name.toStdString();
    QVERIFY(isHopByHop(n, ""));
    QVERIFY(isHopByHop(n, "x-other"));
  }

  void endToEndNames_data() {
    QTest::addColumn<QString>("name");
    for (const char* name : {"Host", "Content-Type", "Cache-Control", "X-Request-ID", "Trailers", "TEx",
                             "Keep-Alive-Extra", "Authorization", "Set-Cookie", ""}) {
      QTest::newRow(name[0] == '\0' ? "empty" : name) << QString::fromLatin1(name);
    }
  }
  void endToEndNames() {
    QFETCH(QString, name);
    QVERIFY(!isHopByHop(name.toStdString(), ""));
    QVERIFY(!isHopByHop(name.toStdString(), "close"));
  }

  void namesListedInConnection() {
    const std::string connection = "close, X-Secret ,  x-hop-only\t,keep-alive";
    QVERIFY(isHopByHop("X-Secret", connection));
    QVERIFY(isHopByHop("x-secret", connection));
    QVERIFY(isHopByHop("X-Hop-Only", connection));
    QVERIFY(isHopByHop("close", connection));
    QVERIFY(!isHopByHop("X-Secre", connection));
    QVERIFY(!isHopByHop("X-Secret-2", connection));
    QVERIFY(!isHopByHop("Content-Type", connection));
    QVERIFY(isHopByHop("X-Only", "X-Only"));
    QVERIFY(!isHopByHop("X-Only", ",,"));
  }

  void connectionHeaderValue() {
    const HeaderList none = {{"Host", "a"}, {"Accept", "*/*"}};
    QCOMPARE(connectionHeader(none), std::string_view());
    const HeaderList one = {{"Host", "a"}, {"connection", "close, X-Foo"}};
    QCOMPARE(connectionHeader(one), std::string_view("close, X-Foo"));
    QVERIFY(isHopByHop("x-foo", connectionHeader(one)));
  }
};

QTEST_APPLESS_MAIN(HopByHopTest)
#include "hop_by_hop_test.moc"
