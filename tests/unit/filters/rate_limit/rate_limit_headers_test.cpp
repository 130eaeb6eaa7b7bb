// RateLimit-Policy / RateLimit items and problem+json (engine/filters/rate_limit/rate_limit_headers.h).

#include "engine/filters/rate_limit/rate_limit_headers.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace sluice::rate_limit;

class RateLimitHeadersTest : public QObject {
  Q_OBJECT

 private slots:
  void policyItem() {
    std::string out;
    appendPolicyItem(out, "per_ip", 100, 60);
    QCOMPARE(out, std::string("\"per_ip\";q=100;w=60"));
  }

  void limitItem() {
    std::string out;
    appendLimitItem(out, "per_ip", 0, 12);
    QCOMPARE(out, std::string("\"per_ip\";r=0;t=12"));
  }

  void itemsAppendToWhatIsThere() {
    std::string out = "RateLimit: ";
    appendLimitItem(out, "a", 10, 60);
    out += ", ";
    appendLimitItem(out, "b", 0, 3600);
    QCOMPARE(out, std::string("RateLimit: \"a\";r=10;t=60, \"b\";r=0;t=3600"));
  }

  void problemJsonParses() {
    std::string out;
    Problem p;
    p.type = kRateLimitedType;
    p.status = 429;
    p.title = "Too Many Requests";
    p.detail = "rate limit 'per_ip' exceeded: 100 requests per 1m";
    p.policy = "per_ip";
    p.retry_after_s = 12;
    appendProblemJson(out, p);
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(out), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(o.value("type").toString(), QString("urn:sluice:problem:rate-limited"));
    QCOMPARE(o.value("title").toString(), QString("Too Many Requests"));
    QCOMPARE(o.value("status").toInt(), 429);
    QCOMPARE(o.value("detail").toString(), QString("rate limit 'per_ip' exceeded: 100 requests per 1m"));
    QCOMPARE(o.value("policy").toString(), QString("per_ip"));
    QCOMPARE(o.value("retry_after").toInt(), 12);
    out.clear();
    p.retry_after_s = 0;
    appendProblemJson(out, p);
    QVERIFY(out.find("retry_after") == std::string::npos);
  }
};

QTEST_GUILESS_MAIN(RateLimitHeadersTest)
#include "rate_limit_headers_test.moc"
