// Cache-Control parsing (engine/filters/cache/cache_control.h): directives, arguments, junk,
// duplicates and invalid freshness (RFC 9111, 4.2.1 and 5.2), Pragma (RFC 9111, 5.4).

#include "engine/filters/cache/cache_control.h"

#include <QtTest>

#include "tests/unit/filters/cache/cache_test_util.h"

using cache_test::FieldStore;
using sluice::filters::cache::CacheControl;
using sluice::filters::cache::kDeltaSecondsMax;
using sluice::filters::cache::parseCacheControl;
using sluice::filters::cache::parseDeltaSeconds;
using sluice::filters::cache::requestCacheControl;
using sluice::filters::cache::responseCacheControl;

namespace {

// Every field, in a fixed order, so that a table row states the whole expected struct.
QString describe(const CacheControl& cc) {
  QStringList parts;
  const auto flag = [&](bool on, const char* name) {
    if (on) {
      parts << name;
    }
  };
  const auto seconds = [&](const std::optional<int64_t>& v, const char* name) {
    if (v) {
      parts << QStringLiteral("%1=%2").arg(name).arg(*v);
    }
  };
  flag(cc.no_store, "no-store");
  flag(cc.no_cache, cc.no_cache_fields ? "no-cache(fields)" : "no-cache");
  flag(cc.no_transform, "no-transform");
  seconds(cc.max_age, "max-age");
  seconds(cc.stale_if_error, "stale-if-error");
  flag(cc.is_private, cc.private_fields ? "private(fields)" : "private");
  flag(cc.is_public, "public");
  flag(cc.must_revalidate, "must-revalidate");
  flag(cc.proxy_revalidate, "proxy-revalidate");
  flag(cc.must_understand, "must-understand");
  flag(cc.immutable, "immutable");
  seconds(cc.s_maxage, "s-maxage");
  seconds(cc.stale_while_revalidate, "stale-while-revalidate");
  flag(cc.only_if_cached, "only-if-cached");
  seconds(cc.max_stale, "max-stale");
  seconds(cc.min_fresh, "min-fresh");
  flag(cc.invalid_freshness, "INVALID");
  return parts.join(' ');
}

}  // namespace

class CacheControlTest : public QObject {
  Q_OBJECT

 private slots:
  void directives_data() {
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    // Plain directives.
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("max-age") << "max-age=60"
                             << "max-age=60";
    QTest::newRow("names are case-insensitive") << "MAX-AGE=60, No-Store"
                                                << "no-store max-age=60";
    QTest::newRow("every flag")
        << "public, must-revalidate, proxy-revalidate, must-understand, no-transform, only-if-cached, "
           "immutable, no-store, no-cache, private"
        << "no-store no-cache no-transform private public must-revalidate proxy-revalidate must-understand "
           "immutable only-if-cached";
    QTest::newRow("s-maxage and max-age") << "s-maxage=10, max-age=5"
                                          << "max-age=5 s-maxage=10";
    QTest::newRow("stale windows") << "stale-while-revalidate=30, stale-if-error=60"
                                   << "stale-if-error=60 stale-while-revalidate=30";
    QTest::newRow("request directives") << "max-stale=10, min-fresh=5, only-if-cached"
                                        << "only-if-cached max-stale=10 min-fresh=5";
    QTest::newRow("max-stale without a value") << "max-stale"
                                               << "max-stale=2147483648";
    QTest::newRow("zero") << "max-age=0"
                          << "max-age=0";
    // Arguments.
    QTest::newRow("quoted seconds") << "max-age=\"60\""
                                    << "max-age=60";
    QTest::newRow("quoted seconds with an escape") << "max-age=\"6\\0\""
                                                   << "max-age=60";
    QTest::newRow("OWS around =") << "max-age = 60"
                                  << "max-age=60";
    QTest::newRow("OWS around directives") << " \tmax-age=5 ,\tpublic  "
                                           << "max-age=5 public";
    QTest::newRow("qualified no-cache") << "no-cache=\"Set-Cookie, X-Foo\""
                                        << "no-cache(fields)";
    QTest::newRow("qualified private keeps the comma inside quotes") << "private=\"a,b\", max-age=5"
                                                                     << "max-age=5 private(fields)";
    QTest::newRow("token-form qualified private") << "private=X-Foo"
                                                  << "private(fields)";
    QTest::newRow("flag with a needless value") << "no-store=1, must-revalidate=\"x\""
                                                << "no-store must-revalidate";
    // Saturation (RFC 9111, 1.2.2).
    QTest::newRow("2^31 - 1") << "max-age=2147483647"
                              << "max-age=2147483647";
    QTest::newRow("2^31") << "max-age=2147483648"
                          << "max-age=2147483648";
    QTest::newRow("huge saturates") << "max-age=99999999999999999999999999"
                                    << "max-age=2147483648";
    QTest::newRow("huge s-maxage saturates") << "s-maxage=4294967296"
                                             << "s-maxage=2147483648";
    QTest::newRow("leading zeros") << "max-age=000000000000000000007"
                                   << "max-age=7";
    // Invalid freshness: stale (RFC 9111, 4.2.1).
    QTest::newRow("duplicate max-age") << "max-age=60, max-age=60"
                                       << "max-age=60 INVALID";
    QTest::newRow("conflicting max-age keeps the first") << "max-age=60, max-age=5"
                                                         << "max-age=60 INVALID";
    QTest::newRow("duplicate s-maxage") << "s-maxage=1, s-maxage=2"
                                        << "s-maxage=1 INVALID";
    QTest::newRow("non-numeric max-age") << "max-age=abc"
                                         << "INVALID";
    QTest::newRow("negative max-age") << "max-age=-1"
                                      << "INVALID";
    QTest::newRow("signed max-age") << "max-age=+1"
                                    << "INVALID";
    QTest::newRow("fractional max-age") << "max-age=1.5"
                                        << "INVALID";
    QTest::newRow("empty max-age") << "max-age="
                                   << "INVALID";
    QTest::newRow("valueless max-age") << "max-age"
                                       << "INVALID";
    QTest::newRow("max-age with trailing junk") << "max-age=5 junk"
                                                << "INVALID";
    QTest::newRow("empty quoted max-age") << "max-age=\"\""
                                          << "INVALID";
    QTest::newRow("invalid then valid max-age") << "max-age=x, max-age=5"
                                                << "max-age=5 INVALID";
    QTest::newRow("unterminated quoted max-age") << "max-age=\"5"
                                                 << "INVALID";
    // Other seconds directives: the first occurrence counts; an invalid one is disabled.
    QTest::newRow("duplicate swr keeps the first") << "stale-while-revalidate=30, stale-while-revalidate=10"
                                                   << "stale-while-revalidate=30";
    QTest::newRow("invalid swr disables it") << "stale-while-revalidate=x, stale-while-revalidate=5"
                                             << "";
    QTest::newRow("valueless stale-if-error") << "stale-if-error"
                                              << "";
    QTest::newRow("invalid max-stale accepts nothing") << "max-stale=abc"
                                                       << "";
    QTest::newRow("invalid min-fresh") << "min-fresh=-3"
                                       << "";
    // Junk.
    QTest::newRow("empty members") << ",,, ,max-age=5,,"
                                   << "max-age=5";
    QTest::newRow("unknown directives") << "foo, bar=baz, community=\"UCI\", max-age=5"
                                        << "max-age=5";
    QTest::newRow("directive inside a quoted value is not one") << "foo=\"x, max-age=9\", public"
                                                                << "public";
    QTest::newRow("unterminated quote swallows the rest") << "foo=\"x, max-age=9, public"
                                                          << "";
    QTest::newRow("junk after a closing quote") << "max-age=\"5\" junk, public"
                                                << "max-age=5 public";
    QTest::newRow("quoted name is unknown") << "\"max-age=5\""
                                            << "";
    QTest::newRow("name with inner space is unknown") << "max age=5"
                                                      << "";
    QTest::newRow("lone equals") << "=5, =, public"
                                 << "public";
    QTest::newRow("trailing backslash in quotes") << "private=\"abc\\"
                                                  << "private(fields)";
    QTest::newRow("semicolon is not a separator") << "max-age=5; public"
                                                  << "INVALID";
  }
  void directives() {
    QFETCH(QString, value);
    QFETCH(QString, expected);
    QCOMPARE(describe(parseCacheControl(value.toStdString())), expected);
  }

  void instancesFormOneList_data() {
    QTest::addColumn<QString>("fields");
    QTest::addColumn<QString>("expected");
    QTest::newRow("two lines") << "Cache-Control: public|Cache-Control: max-age=5"
                               << "max-age=5 public";
    QTest::newRow("duplicate across lines") << "Cache-Control: max-age=5|cache-control: max-age=10"
                                            << "max-age=5 INVALID";
    QTest::newRow("first stale-if-error across lines")
        << "Cache-Control: stale-if-error=1|Cache-Control: stale-if-error=2"
        << "stale-if-error=1";
    QTest::newRow("other fields ignored") << "Pragma: no-cache|X-Cache-Control: no-store"
                                          << "";
    QTest::newRow("none") << ""
                          << "";
  }
  void instancesFormOneList() {
    QFETCH(QString, fields);
    QFETCH(QString, expected);
    FieldStore store;
    QCOMPARE(describe(responseCacheControl(store.fields(fields))), expected);
  }

  void pragma_data() {
    QTest::addColumn<QString>("fields");
    QTest::addColumn<QString>("request");
    QTest::addColumn<QString>("response");
    QTest::newRow("pragma alone") << "Pragma: no-cache"
                                  << "no-cache"
                                  << "";
    QTest::newRow("pragma in a list") << "Pragma: foo, No-Cache"
                                      << "no-cache"
                                      << "";
    QTest::newRow("cache-control present wins") << "Pragma: no-cache|Cache-Control: max-age=5"
                                                << "max-age=5"
                                                << "max-age=5";
    QTest::newRow("empty cache-control still wins") << "Pragma: no-cache|Cache-Control: "
                                                    << ""
                                                    << "";
    QTest::newRow("other pragma") << "Pragma: foo"
                                  << ""
                                  << "";
  }
  void pragma() {
    QFETCH(QString, fields);
    QFETCH(QString, request);
    QFETCH(QString, response);
    FieldStore store;
    const sluice::http::HeaderList list = store.fields(fields);
    QCOMPARE(describe(requestCacheControl(list)), request);
    QCOMPARE(describe(responseCacheControl(list)), response);
  }

  void deltaSeconds() {
    QCOMPARE(parseDeltaSeconds("0"), std::optional<int64_t>(0));
    QCOMPARE(parseDeltaSeconds("42"), std::optional<int64_t>(42));
    QCOMPARE(parseDeltaSeconds("18446744073709551616"), std::optional<int64_t>(kDeltaSecondsMax));
    QVERIFY(!parseDeltaSeconds("").has_value());
    QVERIFY(!parseDeltaSeconds(" 1").has_value());
    QVERIFY(!parseDeltaSeconds("1 ").has_value());
    QVERIFY(!parseDeltaSeconds("-1").has_value());
    QVERIFY(!parseDeltaSeconds("\"1\"").has_value());
  }
};

QTEST_APPLESS_MAIN(CacheControlTest)
#include "cache_control_test.moc"
