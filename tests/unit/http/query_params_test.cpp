// Query-string parameters for the admin endpoints (engine/http/query_params.h).

#include "engine/http/query_params.h"

#include <QtTest>

using sluice::http::percentDecode;
using sluice::http::queryParam;

class QueryParamsTest : public QObject {
  Q_OBJECT

 private slots:
  void findsTheFirstValueDecoded() {
    QCOMPARE(queryParam("a=1&url=http%3A%2F%2Fh%2Fp%3Fq%3D1&url=second", "url").value(), std::string("http://h/p?q=1"));
    QCOMPARE(queryParam("tag=a+b", "tag").value(), std::string("a b"));
    QCOMPARE(queryParam("all", "all").value(), std::string());
    QCOMPARE(queryParam("all=", "all").value(), std::string());
  }
  void absentAndPrefixNames() {
    QVERIFY(!queryParam("", "url"));
    QVERIFY(!queryParam("urls=1&xurl=2", "url"));
    QVERIFY(!queryParam("a=1", "A"));
  }
  void badEscapesAreRejected() {
    QVERIFY(!percentDecode("%"));
    QVERIFY(!percentDecode("%4"));
    QVERIFY(!percentDecode("%zz"));
    QVERIFY(!queryParam("url=%G0", "url"));
    QCOMPARE(percentDecode("%41%62%2b+").value(), std::string("Ab+ "));
  }
};

QTEST_GUILESS_MAIN(QueryParamsTest)
#include "query_params_test.moc"
