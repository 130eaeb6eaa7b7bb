// evaluate (engine/filters/cache/verdict.h): fresh/stale at the exact boundaries, the
// stale-while-revalidate and stale-if-error windows, must-revalidate and no-cache, and every request
// directive (no-cache, max-age, min-fresh, max-stale, only-if-cached, stale-if-error).

#include "engine/filters/cache/verdict.h"

#include <QtTest>

#include "tests/unit/filters/cache/cache_test_util.h"

using cache_test::isSfToken;
using namespace sluice::filters::cache;

namespace {

constexpr int64_t kResponseTime = 1'700'000'000;

QString actionName(Action a) {
  switch (a) {
    case Action::Fresh:
      return "fresh";
    case Action::StaleWhileRevalidate:
      return "swr";
    case Action::Revalidate:
      return "revalidate";
    case Action::Unsatisfiable:
      return "504";
  }
  return "?";
}

QString onErrorName(OnError e) {
  switch (e) {
    case OnError::PassError:
      return "pass";
    case OnError::ServeStored:
      return "serve";
    case OnError::Gateway504:
      return "504";
  }
  return "?";
}

// "action reason on_error" – on_error only for Revalidate, reason as its detail token or "fresh"/"stale".
QString describe(const Verdict& v) {
  QString reason = cache_test::q(verdictDetail(v.reason));
  if (reason.isEmpty()) {
    reason = v.reason == VerdictReason::Fresh ? "fresh" : "stale";
  }
  QString out = actionName(v.action) + " " + reason;
  if (v.action == Action::Revalidate) {
    out += " " + onErrorName(v.on_error);
  }
  return out;
}

}  // namespace

class VerdictTest : public QObject {
  Q_OBJECT

 private slots:
  void evaluate_data() {
    QTest::addColumn<qint64>("lifetime");
    QTest::addColumn<qint64>("initial_age");
    QTest::addColumn<qint64>("swr");
    QTest::addColumn<qint64>("sie");
    QTest::addColumn<uint>("flags");
    QTest::addColumn<QString>("request");  // request Cache-Control
    QTest::addColumn<qint64>("resident");  // seconds since the response arrived
    QTest::addColumn<QString>("expected");
    QTest::addColumn<qint64>("ttl");

    const uint none = 0;
    const uint mr = kFlagMustRevalidate;
    const uint nc = kFlagNoCache;
    // Boundaries: fresh at lifetime-1, stale at lifetime.
    QTest::newRow("age 0") << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "" << qint64(0)
                           << "fresh fresh" << qint64(60);
    QTest::newRow("lifetime-1") << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << ""
                                << qint64(59) << "fresh fresh" << qint64(1);
    QTest::newRow("lifetime") << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "" << qint64(60)
                              << "revalidate stale pass" << qint64(0);
    QTest::newRow("lifetime 0") << qint64(0) << qint64(0) << qint64(0) << qint64(0) << none << "" << qint64(0)
                                << "revalidate stale pass" << qint64(0);
    QTest::newRow("initial age counts") << qint64(60) << qint64(50) << qint64(0) << qint64(0) << none << ""
                                        << qint64(9) << "fresh fresh" << qint64(1);
    QTest::newRow("initial age makes it stale") << qint64(60) << qint64(50) << qint64(0) << qint64(0) << none
                                                << "" << qint64(10) << "revalidate stale pass" << qint64(0);
    QTest::newRow("arrived stale") << qint64(60) << qint64(70) << qint64(0) << qint64(0) << none << ""
                                   << qint64(0) << "revalidate stale pass" << qint64(-10);
    QTest::newRow("clock went back") << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << ""
                                     << qint64(-100) << "fresh fresh" << qint64(60);
    // stale-while-revalidate window: staleness < swr.
    QTest::newRow("swr at its start") << qint64(60) << qint64(0) << qint64(30) << qint64(0) << none << ""
                                      << qint64(60) << "swr stale-while-revalidate" << qint64(0);
    QTest::newRow("swr at its last second")
        << qint64(60) << qint64(0) << qint64(30) << qint64(0) << none << "" << qint64(89)
        << "swr stale-while-revalidate" << qint64(-29);
    QTest::newRow("swr over") << qint64(60) << qint64(0) << qint64(30) << qint64(0) << none << ""
                              << qint64(90) << "revalidate stale pass" << qint64(-30);
    // stale-if-error window: what to do when the revalidation fails.
    QTest::newRow("sie at its start") << qint64(60) << qint64(0) << qint64(0) << qint64(300) << none << ""
                                      << qint64(60) << "revalidate stale serve" << qint64(0);
    QTest::newRow("sie at its last second") << qint64(60) << qint64(0) << qint64(0) << qint64(300) << none
                                            << "" << qint64(359) << "revalidate stale serve" << qint64(-299);
    QTest::newRow("sie over") << qint64(60) << qint64(0) << qint64(0) << qint64(300) << none << ""
                              << qint64(360) << "revalidate stale pass" << qint64(-300);
    QTest::newRow("swr over, sie not") << qint64(60) << qint64(0) << qint64(30) << qint64(300) << none << ""
                                       << qint64(100) << "revalidate stale serve" << qint64(-40);
    // must-revalidate: never stale, 504 when the origin is unreachable.
    QTest::newRow("must-revalidate fresh") << qint64(60) << qint64(0) << qint64(0) << qint64(0) << mr << ""
                                           << qint64(59) << "fresh fresh" << qint64(1);
    QTest::newRow("must-revalidate stale") << qint64(60) << qint64(0) << qint64(30) << qint64(300) << mr << ""
                                           << qint64(60) << "revalidate stale 504" << qint64(0);
    QTest::newRow("must-revalidate beats max-stale")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << mr << "max-stale" << qint64(61)
        << "revalidate stale 504" << qint64(-1);
    QTest::newRow("must-revalidate beats request stale-if-error")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << mr << "stale-if-error=100" << qint64(61)
        << "revalidate stale 504" << qint64(-1);
    QTest::newRow("must-revalidate, fresh, request no-cache")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << mr << "no-cache" << qint64(1)
        << "revalidate no-cache serve" << qint64(59);
    // Response no-cache: validated on every use, never served on error.
    QTest::newRow("response no-cache") << qint64(60) << qint64(0) << qint64(30) << qint64(300) << nc << ""
                                       << qint64(0) << "revalidate response-no-cache pass" << qint64(60);
    QTest::newRow("response no-cache + max-stale")
        << qint64(0) << qint64(0) << qint64(0) << qint64(0) << nc << "max-stale" << qint64(5)
        << "revalidate response-no-cache pass" << qint64(-5);
    QTest::newRow("response no-cache + must-revalidate")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << (nc | mr) << "" << qint64(0)
        << "revalidate response-no-cache 504" << qint64(60);
    // Request no-cache (and Pragma, and a broken max-age).
    QTest::newRow("request no-cache on a fresh entry")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "no-cache" << qint64(1)
        << "revalidate no-cache serve" << qint64(59);
    QTest::newRow("request no-cache on a stale entry")
        << qint64(60) << qint64(0) << qint64(30) << qint64(0) << none << "no-cache" << qint64(61)
        << "revalidate no-cache pass" << qint64(-1);
    QTest::newRow("request with invalid max-age")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "max-age=abc" << qint64(1)
        << "revalidate no-cache serve" << qint64(59);
    // Request max-age: age <= max-age.
    QTest::newRow("max-age=30 at age 30") << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none
                                          << "max-age=30" << qint64(30) << "fresh fresh" << qint64(30);
    QTest::newRow("max-age=30 at age 31")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "max-age=30" << qint64(31)
        << "revalidate max-age serve" << qint64(29);
    QTest::newRow("max-age=0 at age 0") << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none
                                        << "max-age=0" << qint64(0) << "fresh fresh" << qint64(60);
    QTest::newRow("max-age=0 at age 1")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "max-age=0" << qint64(1)
        << "revalidate max-age serve" << qint64(59);
    QTest::newRow("max-age beats swr")
        << qint64(60) << qint64(0) << qint64(30) << qint64(0) << none << "max-age=60" << qint64(61)
        << "revalidate max-age pass" << qint64(-1);
    // Request min-fresh: ttl >= min-fresh.
    QTest::newRow("min-fresh=10 with ttl 10") << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none
                                              << "min-fresh=10" << qint64(50) << "fresh fresh" << qint64(10);
    QTest::newRow("min-fresh=10 with ttl 9")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "min-fresh=10" << qint64(51)
        << "revalidate min-fresh serve" << qint64(9);
    QTest::newRow("min-fresh=0 on a stale entry")
        << qint64(60) << qint64(0) << qint64(30) << qint64(0) << none << "min-fresh=0" << qint64(61)
        << "revalidate min-fresh pass" << qint64(-1);
    // Request max-stale: staleness < max-stale.
    QTest::newRow("max-stale=10 at staleness 0")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "max-stale=10" << qint64(60)
        << "swr max-stale" << qint64(0);
    QTest::newRow("max-stale=10 at staleness 9")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "max-stale=10" << qint64(69)
        << "swr max-stale" << qint64(-9);
    QTest::newRow("max-stale=10 at staleness 10")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "max-stale=10" << qint64(70)
        << "revalidate stale pass" << qint64(-10);
    QTest::newRow("max-stale=0 accepts nothing")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "max-stale=0" << qint64(60)
        << "revalidate stale pass" << qint64(0);
    QTest::newRow("max-stale without a value")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "max-stale" << qint64(100000000)
        << "swr max-stale" << qint64(-99999940);
    QTest::newRow("max-stale with max-age allowing it")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "max-age=100, max-stale=10"
        << qint64(65) << "swr max-stale" << qint64(-5);
    QTest::newRow("max-stale with max-age refusing it")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "max-age=62, max-stale=10"
        << qint64(65) << "revalidate max-age pass" << qint64(-5);
    QTest::newRow("max-stale on a fresh entry")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "max-stale=10" << qint64(10)
        << "fresh fresh" << qint64(50);
    // only-if-cached.
    QTest::newRow("only-if-cached fresh") << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none
                                          << "only-if-cached" << qint64(1) << "fresh fresh" << qint64(59);
    QTest::newRow("only-if-cached stale")
        << qint64(60) << qint64(0) << qint64(0) << qint64(300) << none << "only-if-cached" << qint64(60)
        << "504 only-if-cached" << qint64(0);
    QTest::newRow("only-if-cached within swr")
        << qint64(60) << qint64(0) << qint64(30) << qint64(0) << none << "only-if-cached" << qint64(60)
        << "swr stale-while-revalidate" << qint64(0);
    QTest::newRow("only-if-cached with max-stale")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "only-if-cached, max-stale=5"
        << qint64(62) << "swr max-stale" << qint64(-2);
    QTest::newRow("only-if-cached and no-cache")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "only-if-cached, no-cache"
        << qint64(1) << "504 only-if-cached" << qint64(59);
    QTest::newRow("only-if-cached, response no-cache")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << nc << "only-if-cached" << qint64(1)
        << "504 only-if-cached" << qint64(59);
    // Request stale-if-error (RFC 5861, 4).
    QTest::newRow("request sie within")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "stale-if-error=100" << qint64(159)
        << "revalidate stale serve" << qint64(-99);
    QTest::newRow("request sie over")
        << qint64(60) << qint64(0) << qint64(0) << qint64(0) << none << "stale-if-error=100" << qint64(160)
        << "revalidate stale pass" << qint64(-100);
    QTest::newRow("request sie shorter than the entry's")
        << qint64(60) << qint64(0) << qint64(0) << qint64(300) << none << "stale-if-error=1" << qint64(200)
        << "revalidate stale serve" << qint64(-140);
  }
  void evaluate() {
    QFETCH(qint64, lifetime);
    QFETCH(qint64, initial_age);
    QFETCH(qint64, swr);
    QFETCH(qint64, sie);
    QFETCH(uint, flags);
    QFETCH(QString, request);
    QFETCH(qint64, resident);
    QFETCH(QString, expected);
    QFETCH(qint64, ttl);
    StoredMeta meta;
    meta.request_time_s = kResponseTime - 1;
    meta.response_time_s = kResponseTime;
    meta.corrected_initial_age_s = initial_age;
    meta.freshness_lifetime_s = lifetime;
    meta.stale_while_revalidate_s = swr;
    meta.stale_if_error_s = sie;
    meta.flags = flags;
    meta.status = 200;
    const CacheControl cc = parseCacheControl(request.toStdString());
    const Verdict v = sluice::filters::cache::evaluate(meta, cc, kResponseTime + resident);
    QCOMPARE(describe(v), expected);
    QCOMPARE(v.ttl_s, ttl);
    QCOMPARE(v.age_s, lifetime - ttl);
    // The error path agrees with the verdict made at the same moment.
    if (v.action == Action::Revalidate) {
      QCOMPARE(servesStoredOnError(meta, cc, kResponseTime + resident), v.on_error == OnError::ServeStored);
    }
  }

  void cacheStatus_data() {
    QTest::addColumn<qint64>("resident");
    QTest::addColumn<QString>("request");
    QTest::addColumn<QString>("status");
    // An entry with lifetime 60, swr 30, and no stale-if-error.
    QTest::newRow("fresh") << qint64(18) << ""
                           << "sluice; hit; ttl=42";
    QTest::newRow("stale-while-revalidate") << qint64(65) << ""
                                            << "sluice; hit; ttl=-5; detail=stale-while-revalidate";
    QTest::newRow("max-stale") << qint64(95) << "max-stale=100"
                               << "sluice; hit; ttl=-35; detail=max-stale";
    QTest::newRow("stale") << qint64(95) << ""
                           << "sluice; fwd=stale";
    QTest::newRow("client no-cache") << qint64(1) << "no-cache"
                                     << "sluice; fwd=request; detail=no-cache";
    QTest::newRow("client max-age") << qint64(10) << "max-age=5"
                                    << "sluice; fwd=request; detail=max-age";
    QTest::newRow("client min-fresh") << qint64(10) << "min-fresh=55"
                                      << "sluice; fwd=request; detail=min-fresh";
    QTest::newRow("only-if-cached") << qint64(95) << "only-if-cached"
                                    << "sluice; fwd=miss; detail=only-if-cached";
  }
  void cacheStatus() {
    QFETCH(qint64, resident);
    QFETCH(QString, request);
    QFETCH(QString, status);
    StoredMeta meta;
    meta.response_time_s = kResponseTime;
    meta.freshness_lifetime_s = 60;
    meta.stale_while_revalidate_s = 30;
    const Verdict v = sluice::filters::cache::evaluate(meta, parseCacheControl(request.toStdString()),
                                                       kResponseTime + resident);
    QCOMPARE(cache_test::q(formatCacheStatus(cacheStatusFor(v))), status);
  }

  void responseNoCacheStatus() {
    StoredMeta meta;
    meta.flags = kFlagNoCache;
    meta.freshness_lifetime_s = 60;
    const Verdict v = sluice::filters::cache::evaluate(meta, {}, 0);
    QCOMPARE(cache_test::q(formatCacheStatus(cacheStatusFor(v))),
             QStringLiteral("sluice; fwd=stale; detail=response-no-cache"));
  }

  void staleIfErrorStatuses() {
    for (int status : {500, 502, 503, 504}) {
      QVERIFY(isStaleIfErrorStatus(status));
    }
    for (int status : {0, 200, 304, 404, 501, 505, 599}) {
      QVERIFY(!isStaleIfErrorStatus(status));
    }
  }

  void detailsAreSfTokens() {
    QCOMPARE(verdictDetail(VerdictReason::Fresh), std::string_view());
    QCOMPARE(verdictDetail(VerdictReason::Stale), std::string_view());
    for (VerdictReason r :
         {VerdictReason::ResponseNoCache, VerdictReason::RequestNoCache, VerdictReason::RequestMaxAge,
          VerdictReason::RequestMinFresh, VerdictReason::StaleWhileRevalidate, VerdictReason::MaxStale,
          VerdictReason::OnlyIfCached}) {
      QVERIFY(isSfToken(verdictDetail(r)));
    }
  }
};

QTEST_APPLESS_MAIN(VerdictTest)
#include "verdict_test.moc"
