// decideStore (engine/filters/cache/storability.h): RFC 9111, 3 for a shared cache, plus Sluice's
// own policies (GET only, no Set-Cookie, no 5xx but 501).

#include "engine/filters/cache/storability.h"

#include <QtTest>

#include "tests/unit/filters/cache/cache_test_util.h"

using cache_test::FieldStore;
using cache_test::isSfToken;
using namespace sluice::filters::cache;

class StorabilityTest : public QObject {
  Q_OBJECT

 private slots:
  void decide_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("response");
    QTest::addColumn<QString>("reason");  // storeReasonText, "stored" when stored

    // Methods.
    QTest::newRow("GET 200") << "GET"
                             << "" << 200 << ""
                             << "stored";
    QTest::newRow("HEAD is served from GET entries") << "HEAD"
                                                     << "" << 200 << "Cache-Control: max-age=60"
                                                     << "method";
    QTest::newRow("POST with max-age") << "POST"
                                       << "" << 200 << "Cache-Control: max-age=60"
                                       << "method";
    QTest::newRow("PUT") << "PUT"
                         << "" << 200 << ""
                         << "method";
    QTest::newRow("lower-case get is another method") << "get"
                                                      << "" << 200 << ""
                                                      << "method";
    QTest::newRow("method checked first") << "HEAD"
                                          << "" << 206 << "Cache-Control: no-store"
                                          << "method";

    // Heuristically cacheable statuses: stored without explicit freshness.
    for (int status : {200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501}) {
      QTest::addRow("heuristic %d", status) << "GET"
                                            << "" << status << ""
                                            << "stored";
    }
    // Understood, but only with explicit freshness or public.
    for (int status : {302, 303, 307, 400, 403, 451}) {
      QTest::addRow("%d without freshness", status) << "GET"
                                                    << "" << status << ""
                                                    << "no-freshness";
      QTest::addRow("%d with max-age", status) << "GET"
                                               << "" << status << "Cache-Control: max-age=5"
                                               << "stored";
      QTest::addRow("%d with s-maxage", status) << "GET"
                                                << "" << status << "Cache-Control: s-maxage=5"
                                                << "stored";
      QTest::addRow("%d with Expires", status) << "GET"
                                               << "" << status << "Expires: Sun, 06 Nov 1994 08:49:37 GMT"
                                               << "stored";
      QTest::addRow("%d with public", status) << "GET"
                                              << "" << status << "Cache-Control: public"
                                              << "stored";
    }
    QTest::newRow("302 with invalid max-age counts as explicit") << "GET"
                                                                 << "" << 302 << "Cache-Control: max-age=x"
                                                                 << "stored";
    QTest::newRow("302 with only no-cache") << "GET"
                                            << "" << 302 << "Cache-Control: no-cache"
                                            << "no-freshness";
    QTest::newRow("302 with stale-while-revalidate only")
        << "GET"
        << "" << 302 << "Cache-Control: stale-while-revalidate=5"
        << "no-freshness";
    // Never stored, whatever the directives.
    for (int status : {100, 101, 103, 201, 202, 205, 206, 304, 305, 401, 402, 407, 408, 409,
                       412, 413, 416, 429, 500, 502, 503, 504, 505, 599, 0,   600, 999}) {
      QTest::addRow("status %d", status) << "GET"
                                         << "" << status << "Cache-Control: public, max-age=60"
                                         << "status";
    }

    // no-store, and must-understand (RFC 9111, 5.2.2.3).
    QTest::newRow("request no-store") << "GET"
                                      << "Cache-Control: no-store" << 200 << ""
                                      << "request-no-store";
    QTest::newRow("response no-store") << "GET"
                                       << "" << 200 << "Cache-Control: no-store, max-age=60"
                                       << "no-store";
    QTest::newRow("must-understand, understood status")
        << "GET"
        << "" << 200 << "Cache-Control: no-store, must-understand, max-age=60"
        << "stored";
    QTest::newRow("must-understand, unknown status")
        << "GET"
        << "" << 299 << "Cache-Control: no-store, must-understand"
        << "status";
    QTest::newRow("must-understand does not lift request no-store")
        << "GET"
        << "Cache-Control: no-store" << 200 << "Cache-Control: no-store, must-understand"
        << "request-no-store";
    QTest::newRow("request Pragma is not no-store") << "GET"
                                                    << "Pragma: no-cache" << 200 << ""
                                                    << "stored";
    QTest::newRow("response no-cache is stored") << "GET"
                                                 << "" << 200 << "Cache-Control: no-cache"
                                                 << "stored";

    // private.
    QTest::newRow("private") << "GET"
                             << "" << 200 << "Cache-Control: private, max-age=60"
                             << "private";
    QTest::newRow("qualified private") << "GET"
                                       << "" << 200 << "Cache-Control: private=\"Set-Cookie\""
                                       << "private";
    QTest::newRow("private beats public") << "GET"
                                          << "" << 200 << "Cache-Control: public, private"
                                          << "private";

    // Authorization (RFC 9111, 3.5).
    QTest::newRow("authorization, no directive") << "GET"
                                                 << "Authorization: Basic eA==" << 200 << ""
                                                 << "authorization";
    QTest::newRow("authorization, max-age is not enough")
        << "GET"
        << "Authorization: Bearer t" << 200 << "Cache-Control: max-age=60"
        << "authorization";
    QTest::newRow("authorization + public") << "GET"
                                            << "Authorization: Bearer t" << 200 << "Cache-Control: public"
                                            << "stored";
    QTest::newRow("authorization + s-maxage")
        << "GET"
        << "Authorization: Bearer t" << 200 << "Cache-Control: s-maxage=5"
        << "stored";
    QTest::newRow("authorization + must-revalidate")
        << "GET"
        << "authorization: Bearer t" << 200 << "Cache-Control: must-revalidate"
        << "stored";
    QTest::newRow("proxy-authorization is not authorization")
        << "GET"
        << "Proxy-Authorization: Basic eA==" << 200 << ""
        << "stored";

    // Set-Cookie: never stored (Sluice policy, stricter than RFC 9111).
    QTest::newRow("set-cookie") << "GET"
                                << "" << 200 << "Set-Cookie: a=b"
                                << "set-cookie";
    QTest::newRow("set-cookie even with public") << "GET"
                                                 << "" << 200 << "Cache-Control: public|set-cookie: a=b"
                                                 << "set-cookie";

    // Vary.
    QTest::newRow("vary star") << "GET"
                               << "" << 200 << "Vary: *"
                               << "vary-star";
    QTest::newRow("vary star in a list") << "GET"
                                         << "" << 200 << "Vary: Accept, *"
                                         << "vary-star";
    QTest::newRow("vary star on a second line") << "GET"
                                                << "" << 200 << "Vary: Accept|Vary: *"
                                                << "vary-star";
    QTest::newRow("vary field names") << "GET"
                                      << "" << 200 << "Vary: Accept-Encoding, Accept"
                                      << "stored";
  }
  void decide() {
    QFETCH(QString, method);
    QFETCH(QString, request);
    QFETCH(int, status);
    QFETCH(QString, response);
    QFETCH(QString, reason);
    FieldStore store;
    const sluice::http::RequestHead req = store.request(method, request);
    const sluice::http::ResponseHead resp = store.response(status, response);
    const StoreDecision d =
        decideStore(req, resp, requestCacheControl(req.headers), responseCacheControl(resp.headers));
    QCOMPARE(d.store, reason == "stored");
    QCOMPARE(d.store ? QStringLiteral("stored") : cache_test::q(storeReasonText(d.reason)), reason);
  }

  void reasonTextsAreSfTokens() {
    QCOMPARE(storeReasonText(StoreReason::Stored), std::string_view());
    for (StoreReason r : {StoreReason::Method, StoreReason::Status, StoreReason::RequestNoStore,
                          StoreReason::NoStore, StoreReason::Private, StoreReason::Authorization,
                          StoreReason::SetCookie, StoreReason::VaryStar, StoreReason::NoFreshness}) {
      QVERIFY2(isSfToken(storeReasonText(r)), std::string(storeReasonText(r)).c_str());
    }
  }
};

QTEST_APPLESS_MAIN(StorabilityTest)
#include "storability_test.moc"
