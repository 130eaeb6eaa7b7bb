// Cache-Status (engine/filters/cache/cache_status.h, RFC 9211): exact strings, and writing into a
// caller's buffer.

#include "engine/filters/cache/cache_status.h"

#include <QtTest>

#include "tests/unit/filters/cache/cache_test_util.h"

using cache_test::q;
using namespace sluice::filters::cache;

namespace {

CacheStatus hit(int64_t ttl, std::string_view detail = {}) {
  CacheStatus s;
  s.has_ttl = true;
  s.ttl = ttl;
  s.detail = detail;
  return s;
}

CacheStatus forwarded(Forward fwd, int fwd_status = 0, bool stored = false, std::string_view detail = {}) {
  CacheStatus s;
  s.fwd = fwd;
  s.fwd_status = fwd_status;
  s.stored = stored;
  s.detail = detail;
  return s;
}

}  // namespace

class CacheStatusTest : public QObject {
  Q_OBJECT

 private slots:
  void strings_data() {
    QTest::addColumn<int>("row");
    QTest::addColumn<QString>("expected");
    QTest::newRow("hit") << 0 << "sluice; hit; ttl=42";
    QTest::newRow("stale hit") << 1 << "sluice; hit; ttl=-5; detail=stale-while-revalidate";
    QTest::newRow("miss stored") << 2 << "sluice; fwd=miss; stored";
    QTest::newRow("uri-miss") << 3 << "sluice; fwd=uri-miss";
    QTest::newRow("vary-miss") << 4 << "sluice; fwd=vary-miss";
    QTest::newRow("revalidated") << 5 << "sluice; fwd=stale; fwd-status=304; stored";
    QTest::newRow("client no-cache") << 6 << "sluice; fwd=request";
    QTest::newRow("bypass") << 7 << "sluice; fwd=bypass";
    QTest::newRow("stale-if-error") << 8 << "sluice; hit; detail=stale-if-error";
    QTest::newRow("only-if-cached") << 9 << "sluice; fwd=miss; detail=only-if-cached";
    QTest::newRow("not stored, with reason") << 10 << "sluice; fwd=uri-miss; fwd-status=200; detail=no-store";
    QTest::newRow("method") << 11 << "sluice; fwd=method";
    QTest::newRow("everything")
        << 12
        << "sluice; fwd=stale; fwd-status=200; stored; collapsed; ttl=-9223372036854775808; "
           "detail=max-age";
    QTest::newRow("hit, no ttl") << 13 << "sluice; hit";
    QTest::newRow("ttl 0") << 14 << "sluice; hit; ttl=0";
  }
  void strings() {
    QFETCH(int, row);
    QFETCH(QString, expected);
    CacheStatus everything = forwarded(Forward::Stale, 200, true, "max-age");
    everything.collapsed = true;
    everything.has_ttl = true;
    everything.ttl = INT64_MIN;
    CacheStatus sie;
    sie.detail = "stale-if-error";
    const CacheStatus rows[] = {
        hit(42),
        hit(-5, "stale-while-revalidate"),
        forwarded(Forward::Miss, 0, true),
        forwarded(Forward::UriMiss),
        forwarded(Forward::VaryMiss),
        forwarded(Forward::Stale, 304, true),
        forwarded(Forward::Request),
        forwarded(Forward::Bypass),
        sie,
        forwarded(Forward::Miss, 0, false, "only-if-cached"),
        forwarded(Forward::UriMiss, 200, false, "no-store"),
        forwarded(Forward::Method),
        everything,
        CacheStatus{},
        hit(0),
    };
    const CacheStatus& status = rows[row];
    QCOMPARE(q(formatCacheStatus(status)), expected);
    // The bound holds, and the buffer form writes the same.
    QVERIFY(static_cast<size_t>(expected.size()) <= cacheStatusMaxSize(status));
    char buffer[256];
    const size_t n = formatCacheStatus(status, buffer, sizeof(buffer));
    QCOMPARE(q(std::string_view(buffer, n)), expected);
  }

  void otherCacheName() {
    QCOMPARE(q(formatCacheStatus(hit(1), "edge-7")), QStringLiteral("edge-7; hit; ttl=1"));
  }

  void bufferTooSmall() {
    const CacheStatus s = forwarded(Forward::Stale, 304, true);
    const std::string expected = "sluice; fwd=stale; fwd-status=304; stored";
    char buffer[64];
    QCOMPARE(formatCacheStatus(s, buffer, expected.size()), expected.size());
    QCOMPARE(std::string(buffer, expected.size()), expected);
    for (size_t capacity = 0; capacity < expected.size(); ++capacity) {
      QCOMPARE(formatCacheStatus(s, buffer, capacity), size_t{0});
    }
  }

  void forwardTexts() {
    QCOMPARE(forwardText(Forward::None), std::string_view());
    for (Forward f : {Forward::Bypass, Forward::Method, Forward::UriMiss, Forward::VaryMiss, Forward::Miss,
                      Forward::Request, Forward::Stale}) {
      QVERIFY(cache_test::isSfToken(forwardText(f)));
    }
  }
};

QTEST_APPLESS_MAIN(CacheStatusTest)
#include "cache_status_test.moc"
