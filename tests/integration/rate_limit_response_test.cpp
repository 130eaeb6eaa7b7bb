// What a rate-limited route answers: the 429 field by field, the RateLimit fields on allowed
// responses, `headers: false`, several policies on one route, and that a refused request takes
// nothing from the policies that allowed it.

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/raw_http_client.h"

using namespace sluice::test;

class RateLimitResponseTest : public QObject {
  Q_OBJECT

 private:
  NodeProcess node_;
  int port_ = -1;

  HttpResponse get(const QByteArray& path, const QList<QPair<QByteArray, QByteArray>>& headers = {}) {
    return RawHttpClient::exchange(port_, buildRequest("GET", path, headers));
  }

 private slots:
  void initTestCase() {
    const QString sections = QStringLiteral(
        "rate_limits:\n"
        "  - { name: three, algorithm: fixed_window, key: route, limit: 3, window: 10h }\n"
        "  - { name: quiet, algorithm: fixed_window, key: route, limit: 1, window: 10h, headers: false }\n"
        "  - { name: wide, algorithm: fixed_window, key: route, limit: 100, window: 1h }\n"
        "  - { name: narrow, algorithm: fixed_window, key: route, limit: 2, window: 1h }\n"
        "routes:\n"
        "  - { name: three, match: { path_exact: /three }, respond: { body: ok }, rate_limits: [three] }\n"
        "  - { name: quiet, match: { path_exact: /quiet }, respond: { body: ok }, rate_limits: [quiet] }\n"
        "  - { name: both, match: { path_exact: /both }, respond: { body: ok }, rate_limits: [wide, narrow] }\n"
        "  - { name: free, match: { path_exact: /free }, respond: { body: ok } }\n");
    QVERIFY2(node_.start(nodeConfig(sections, {.workers = 2})), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
  }

  void allowedResponsesCarryTheFields() {
    for (int remaining : {2, 1, 0}) {
      const HttpResponse r = get("/three");
      QCOMPARE(r.status, 200);
      QCOMPARE(r.header("RateLimit-Policy"), QByteArray("\"three\";q=3;w=36000"));
      const QByteArray limit = r.header("RateLimit");
      QVERIFY2(limit.startsWith("\"three\";r=" + QByteArray::number(remaining) + ";t="), limit.constData());
      const int t = limit.mid(limit.indexOf(";t=") + 3).toInt();
      QVERIFY2(t > 35000 && t <= 36000, limit.constData());  // until the 10 h window ends
    }
  }

  void refusalFieldByField() {
    HttpResponse r = get("/three");
    if (r.status == 200) {  // allowedResponsesCarryTheFields used the three; run alone, use them up
      r = get("/three");
    }
    QCOMPARE(r.status, 429);
    QCOMPARE(r.reason, QByteArray("Too Many Requests"));
    const int retry_after = r.header("Retry-After").toInt();
    QVERIFY2(retry_after > 35000 && retry_after <= 36000, r.header("Retry-After").constData());
    QCOMPARE(r.header("Content-Type"), QByteArray("application/problem+json"));
    QCOMPARE(r.header("Content-Length").toInt(), r.body.size());
    QCOMPARE(r.header("RateLimit-Policy"), QByteArray("\"three\";q=3;w=36000"));
    QCOMPARE(r.header("RateLimit"), "\"three\";r=0;t=" + r.header("Retry-After"));
    QVERIFY(!r.header("X-Request-ID").isEmpty());
    QVERIFY(!r.closed_after);  // a refusal keeps the connection
    QJsonParseError error;
    const QJsonObject problem = QJsonDocument::fromJson(r.body, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(problem.value("type").toString(), QStringLiteral("urn:sluice:problem:rate-limited"));
    QCOMPARE(problem.value("title").toString(), QStringLiteral("Too Many Requests"));
    QCOMPARE(problem.value("status").toInt(), 429);
    QCOMPARE(problem.value("detail").toString(),
             QStringLiteral("rate limit 'three' exceeded: 3 requests per 10h"));
    QCOMPARE(problem.value("policy").toString(), QStringLiteral("three"));
    QCOMPARE(problem.value("retry_after").toInt(), retry_after);
  }

  void headRefusalHasNoBody() {
    const HttpResponse r = RawHttpClient::exchange(port_, buildRequest("HEAD", "/three"), 5000, {.head_request = true});
    QCOMPARE(r.status, 429);
    QVERIFY(r.body.isEmpty());
    QVERIFY(r.hasHeader("Retry-After"));
  }

  void headersFalseSendsNone() {
    const HttpResponse ok = get("/quiet");
    QCOMPARE(ok.status, 200);
    QVERIFY(!ok.hasHeader("RateLimit-Policy"));
    QVERIFY(!ok.hasHeader("RateLimit"));
    const HttpResponse refused = get("/quiet");
    QCOMPARE(refused.status, 429);
    QVERIFY(!refused.hasHeader("RateLimit"));
    QVERIFY(refused.hasHeader("Retry-After"));
  }

  void unlimitedRoutesAreUntouched() {
    const HttpResponse r = get("/free");
    QCOMPARE(r.status, 200);
    QVERIFY(!r.hasHeader("RateLimit"));
  }

  void everyPolicyMustPassAndARefusalTakesNothing() {
    HttpResponse r = get("/both");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("RateLimit-Policy"), QByteArray("\"wide\";q=100;w=3600, \"narrow\";q=2;w=3600"));
    QVERIFY2(r.header("RateLimit").startsWith("\"wide\";r=99;t="), r.header("RateLimit").constData());
    QVERIFY(r.header("RateLimit").contains(", \"narrow\";r=1;t="));
    QCOMPARE(get("/both").status, 200);
    for (int i = 0; i < 5; ++i) {
      r = get("/both");
      QCOMPARE(r.status, 429);
      QCOMPARE(QJsonDocument::fromJson(r.body).object().value("policy").toString(), QStringLiteral("narrow"));
      // `wide` allowed each of these, but the request was refused: it was given back.
      QVERIFY2(r.header("RateLimit").startsWith("\"wide\";r=98;t="), r.header("RateLimit").constData());
    }
  }
};

QTEST_GUILESS_MAIN(RateLimitResponseTest)
#include "rate_limit_response_test.moc"
