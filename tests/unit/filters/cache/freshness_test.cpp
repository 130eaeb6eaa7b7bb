// computeFreshness and correctedInitialAge (engine/filters/cache/freshness.h): lifetime precedence
// (s-maxage > max-age > Expires > policy default), the max_ttl cap, invalid freshness, stale windows,
// and the age calculation of RFC 9111, 4.2.3.

#include "engine/filters/cache/freshness.h"

#include <QtTest>

#include "engine/filters/cache/stored_meta.h"
#include "tests/unit/filters/cache/cache_test_util.h"

using cache_test::FieldStore;
using namespace sluice::filters::cache;

namespace {

// Sun, 06 Nov 1994 08:49:37 GMT
constexpr int64_t kT = 784111777;

PolicyLimits testPolicy() {
  PolicyLimits p;
  p.default_ttl_s = 60;
  p.max_ttl_s = 3600;
  p.stale_while_revalidate_s = 30;
  p.stale_if_error_s = 300;
  return p;
}

QString sourceName(FreshnessSource s) {
  switch (s) {
    case FreshnessSource::SMaxAge:
      return "s-maxage";
    case FreshnessSource::MaxAge:
      return "max-age";
    case FreshnessSource::Expires:
      return "expires";
    case FreshnessSource::Policy:
      return "policy";
    case FreshnessSource::Invalid:
      return "invalid";
    case FreshnessSource::None:
      return "none";
  }
  return "?";
}

QString flagNames(uint32_t flags) {
  QStringList names;
  if (flags & kFlagMustRevalidate) {
    names << "must-revalidate";
  }
  if (flags & kFlagNoCache) {
    names << "no-cache";
  }
  if (flags & kFlagHeuristic) {
    names << "heuristic";
  }
  return names.join(',');
}

}  // namespace

class FreshnessTest : public QObject {
  Q_OBJECT

 private slots:
  void lifetime_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("fields");
    QTest::addColumn<QString>("source");
    QTest::addColumn<qint64>("lifetime");
    QTest::addColumn<qint64>("swr");
    QTest::addColumn<qint64>("sie");
    QTest::addColumn<QString>("flags");

    const char* date = "Date: Sun, 06 Nov 1994 08:49:37 GMT";
    const auto with_date = [&](const char* more) { return QString("%1|%2").arg(date, more); };
    // Precedence.
    QTest::newRow("s-maxage over max-age")
        << 200 << with_date("Cache-Control: max-age=50, s-maxage=100") << "s-maxage" << qint64(100)
        << qint64(0) << qint64(0) << "must-revalidate";
    QTest::newRow("max-age over Expires") << 200
                                          << with_date(
                                                 "Cache-Control: max-age=50|Expires: Sun, 06 Nov 1994 "
                                                 "08:51:37 GMT")
                                          << "max-age" << qint64(50) << qint64(30) << qint64(300) << "";
    QTest::newRow("max-age ignores an invalid Expires")
        << 200 << with_date("Cache-Control: max-age=50|Expires: 0") << "max-age" << qint64(50) << qint64(30)
        << qint64(300) << "";
    QTest::newRow("Expires - Date") << 200 << with_date("Expires: Sun, 06 Nov 1994 08:51:37 GMT") << "expires"
                                    << qint64(120) << qint64(30) << qint64(300) << "";
    QTest::newRow("Expires - an earlier Date")
        << 200
        << "Date: Sun, 06 Nov 1994 08:47:57 GMT|Expires: Sun, 06 Nov 1994 "
           "08:49:57 GMT"
        << "expires" << qint64(120) << qint64(30) << qint64(300) << "";
    QTest::newRow("Expires without Date uses the response time")
        << 200 << "Expires: Sun, 06 Nov 1994 08:50:37 GMT"
        << "expires" << qint64(60) << qint64(30) << qint64(300) << "";
    QTest::newRow("Expires in the past") << 200 << with_date("Expires: Sun, 06 Nov 1994 08:00:00 GMT")
                                         << "expires" << qint64(0) << qint64(30) << qint64(300) << "";
    QTest::newRow("Expires equal to Date") << 200 << with_date("Expires: Sun, 06 Nov 1994 08:49:37 GMT")
                                           << "expires" << qint64(0) << qint64(30) << qint64(300) << "";
    QTest::newRow("Expires: 0 is already expired")
        << 200 << with_date("Expires: 0") << "invalid" << qint64(0) << qint64(30) << qint64(300) << "";
    QTest::newRow("two Expires lines") << 200
                                       << with_date(
                                              "Expires: Sun, 06 Nov 1994 08:51:37 GMT|Expires: Sun, 06 Nov "
                                              "1994 08:51:37 GMT")
                                       << "invalid" << qint64(0) << qint64(30) << qint64(300) << "";
    QTest::newRow("policy default for 200")
        << 200 << with_date("") << "policy" << qint64(60) << qint64(30) << qint64(300) << "heuristic";
    QTest::newRow("policy default for 404")
        << 404 << ""
        << "policy" << qint64(60) << qint64(30) << qint64(300) << "heuristic";
    QTest::newRow("no default for 302") << 302 << ""
                                        << "none" << qint64(0) << qint64(30) << qint64(300) << "";
    QTest::newRow("public 302 gets the default")
        << 302 << "Cache-Control: public"
        << "policy" << qint64(60) << qint64(30) << qint64(300) << "heuristic";
    QTest::newRow("Last-Modified alone is not a heuristic")
        << 302 << "Last-Modified: Sun, 06 Nov 1994 08:00:00 GMT"
        << "none" << qint64(0) << qint64(30) << qint64(300) << "";
    // Cap.
    QTest::newRow("max-age capped by max_ttl")
        << 200 << "Cache-Control: max-age=100000"
        << "max-age" << qint64(3600) << qint64(30) << qint64(300) << "";
    QTest::newRow("s-maxage capped by max_ttl")
        << 200 << "Cache-Control: s-maxage=2147483648"
        << "s-maxage" << qint64(3600) << qint64(0) << qint64(0) << "must-revalidate";
    QTest::newRow("Expires capped by max_ttl")
        << 200 << with_date("Expires: Sun, 06 Nov 2094 08:49:37 GMT") << "expires" << qint64(3600)
        << qint64(30) << qint64(300) << "";
    // Invalid freshness is stale.
    QTest::newRow("invalid max-age") << 200 << "Cache-Control: max-age=abc"
                                     << "invalid" << qint64(0) << qint64(30) << qint64(300) << "";
    QTest::newRow("duplicate max-age") << 200 << "Cache-Control: max-age=5|Cache-Control: max-age=5"
                                       << "invalid" << qint64(0) << qint64(30) << qint64(300) << "";
    QTest::newRow("invalid max-age beats a valid Expires")
        << 200 << with_date("Cache-Control: max-age=x|Expires: Sun, 06 Nov 1994 08:51:37 GMT") << "invalid"
        << qint64(0) << qint64(30) << qint64(300) << "";
    QTest::newRow("max-age=0") << 200 << "Cache-Control: max-age=0"
                               << "max-age" << qint64(0) << qint64(30) << qint64(300) << "";
    // Stale windows.
    QTest::newRow("response windows win")
        << 200 << "Cache-Control: max-age=5, stale-while-revalidate=7, stale-if-error=9"
        << "max-age" << qint64(5) << qint64(7) << qint64(9) << "";
    QTest::newRow("response swr, policy sie") << 200 << "Cache-Control: max-age=5, stale-while-revalidate=7"
                                              << "max-age" << qint64(5) << qint64(7) << qint64(300) << "";
    QTest::newRow("response sie=0 overrides the policy")
        << 200 << "Cache-Control: max-age=5, stale-if-error=0"
        << "max-age" << qint64(5) << qint64(30) << qint64(0) << "";
    QTest::newRow("must-revalidate forbids stale")
        << 200
        << "Cache-Control: max-age=5, must-revalidate, "
           "stale-while-revalidate=7"
        << "max-age" << qint64(5) << qint64(0) << qint64(0) << "must-revalidate";
    QTest::newRow("proxy-revalidate forbids stale")
        << 200 << "Cache-Control: max-age=5, proxy-revalidate"
        << "max-age" << qint64(5) << qint64(0) << qint64(0) << "must-revalidate";
    QTest::newRow("no-cache forbids stale") << 200 << "Cache-Control: no-cache, max-age=5, stale-if-error=60"
                                            << "max-age" << qint64(5) << qint64(0) << qint64(0) << "no-cache";
    QTest::newRow("s-maxage drops the policy windows")
        << 200 << "Cache-Control: s-maxage=5"
        << "s-maxage" << qint64(5) << qint64(0) << qint64(0) << "must-revalidate";
    QTest::newRow("s-maxage with explicit swr")
        << 200 << "Cache-Control: s-maxage=5, stale-while-revalidate=20"
        << "s-maxage" << qint64(5) << qint64(20) << qint64(0) << "";
    QTest::newRow("s-maxage with explicit sie") << 200 << "Cache-Control: s-maxage=5, stale-if-error=20"
                                                << "s-maxage" << qint64(5) << qint64(0) << qint64(20) << "";
    QTest::newRow("s-maxage, swr and must-revalidate")
        << 200
        << "Cache-Control: s-maxage=5, stale-while-revalidate=20, "
           "must-revalidate"
        << "s-maxage" << qint64(5) << qint64(0) << qint64(0) << "must-revalidate";
  }
  void lifetime() {
    QFETCH(int, status);
    QFETCH(QString, fields);
    QFETCH(QString, source);
    QFETCH(qint64, lifetime);
    QFETCH(qint64, swr);
    QFETCH(qint64, sie);
    QFETCH(QString, flags);
    FieldStore store;
    const sluice::http::ResponseHead resp = store.response(status, fields);
    const Freshness f = computeFreshness(resp, responseCacheControl(resp.headers), testPolicy(), kT, kT);
    QCOMPARE(sourceName(f.source), source);
    QCOMPARE(f.lifetime_s, lifetime);
    QCOMPARE(f.stale_while_revalidate_s, swr);
    QCOMPARE(f.stale_if_error_s, sie);
    QCOMPARE(flagNames(f.flags), flags);
  }

  void defaultPolicyHasNoCap() {
    FieldStore store;
    const sluice::http::ResponseHead resp = store.response(200, "Cache-Control: max-age=2147483648");
    const Freshness f = computeFreshness(resp, responseCacheControl(resp.headers), PolicyLimits{}, kT, kT);
    QCOMPARE(f.lifetime_s, int64_t{2147483648});
    QCOMPARE(f.stale_while_revalidate_s, int64_t{0});
  }

  void policyFromConfig() {
    sluice::config::CachePolicyConfig c;
    c.default_ttl = std::chrono::seconds(90);
    c.max_ttl = std::chrono::milliseconds(7200999);
    c.stale_while_revalidate = std::chrono::seconds(5);
    c.stale_if_error = std::chrono::minutes(5);
    const PolicyLimits p = policyLimits(c);
    QCOMPARE(p.default_ttl_s, int64_t{90});
    QCOMPARE(p.max_ttl_s, int64_t{7200});
    QCOMPARE(p.stale_while_revalidate_s, int64_t{5});
    QCOMPARE(p.stale_if_error_s, int64_t{300});
  }

  void age_data() {
    QTest::addColumn<QString>("fields");
    QTest::addColumn<qint64>("request_time");
    QTest::addColumn<qint64>("response_time");
    QTest::addColumn<qint64>("age");
    const qint64 t = kT;
    const char* date = "Date: Sun, 06 Nov 1994 08:49:37 GMT";  // = kT
    QTest::newRow("fresh from the origin") << QString(date) << t << t << qint64(0);
    QTest::newRow("no Date") << "" << t << t << qint64(0);
    QTest::newRow("invalid Date") << "Date: yesterday" << t << t << qint64(0);
    QTest::newRow("apparent age") << QString(date) << t + 10 << t + 10 << qint64(10);
    QTest::newRow("Age") << QString("%1|Age: 30").arg(date) << t << t << qint64(30);
    QTest::newRow("Age plus response delay") << QString("%1|Age: 30").arg(date) << t - 5 << t << qint64(35);
    QTest::newRow("apparent age wins") << QString("%1|Age: 30").arg(date) << t + 95 << t + 100 << qint64(100);
    QTest::newRow("Age wins") << QString("%1|Age: 300").arg(date) << t + 95 << t + 100 << qint64(305);
    QTest::newRow("Date in the future (skew)") << QString(date) << t - 102 << t - 100 << qint64(2);
    QTest::newRow("skew with Age") << QString("%1|Age: 7").arg(date) << t - 100 << t - 100 << qint64(7);
    QTest::newRow("response delay alone") << "" << t - 3 << t << qint64(3);
    QTest::newRow("request after response") << "" << t + 3 << t << qint64(0);
    QTest::newRow("invalid Age ignored") << "Age: abc" << t << t << qint64(0);
    QTest::newRow("negative Age ignored") << "Age: -5" << t << t << qint64(0);
    QTest::newRow("list Age uses the first") << "Age: 10, 20" << t << t << qint64(10);
    QTest::newRow("second Age line ignored") << "Age: 10|Age: 20" << t << t << qint64(10);
    QTest::newRow("huge Age saturates") << "Age: 99999999999999999999" << t << t << qint64(2147483648);
  }
  void age() {
    QFETCH(QString, fields);
    QFETCH(qint64, request_time);
    QFETCH(qint64, response_time);
    QFETCH(qint64, age);
    FieldStore store;
    QCOMPARE(correctedInitialAge(store.fields(fields), request_time, response_time), age);
    const sluice::http::ResponseHead resp = store.response(200, fields);
    const Freshness f =
        computeFreshness(resp, responseCacheControl(resp.headers), testPolicy(), request_time, response_time);
    QCOMPARE(f.corrected_initial_age_s, age);
  }
};

QTEST_APPLESS_MAIN(FreshnessTest)
#include "freshness_test.moc"
