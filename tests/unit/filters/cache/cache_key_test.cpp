// Cache keys and Vary (engine/filters/cache/cache_key.h, vary_record.h): the primary key, URL purge
// keys, canonical Vary names and the variant encoding (order, case, duplicates, absent vs empty).

#include "engine/filters/cache/cache_key.h"

#include <QtTest>

#include "engine/filters/cache/vary_record.h"
#include "tests/unit/filters/cache/cache_test_util.h"

using cache_test::FieldStore;
using cache_test::q;
using namespace sluice::filters::cache;

namespace {

std::string withNul(std::string_view a, std::string_view b) {
  std::string s(a);
  s += '\0';
  s += b;
  return s;
}

}  // namespace

class CacheKeyTest : public QObject {
  Q_OBJECT

 private slots:
  void primary_data() {
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("key");
    QTest::newRow("plain") << "example.com"
                           << "/a"
                           << ""
                           << "http://example.com/a";
    QTest::newRow("host lower-cased, path not") << "Example.COM"
                                                << "/A/b"
                                                << ""
                                                << "http://example.com/A/b";
    QTest::newRow("query kept as sent") << "example.com"
                                        << "/a"
                                        << "b=1&A=2"
                                        << "http://example.com/a?b=1&A=2";
    QTest::newRow("default port 80 dropped") << "example.com:80"
                                             << "/"
                                             << ""
                                             << "http://example.com/";
    QTest::newRow("default port 443 dropped") << "example.com:443"
                                              << "/"
                                              << ""
                                              << "http://example.com/";
    QTest::newRow("empty port dropped") << "example.com:"
                                        << "/"
                                        << ""
                                        << "http://example.com/";
    QTest::newRow("other port kept") << "example.com:8080"
                                     << "/"
                                     << ""
                                     << "http://example.com:8080/";
    QTest::newRow("port ending in 80 kept") << "example.com:8080"
                                            << "/"
                                            << ""
                                            << "http://example.com:8080/";
    QTest::newRow("IPv6 with default port") << "[::1]:80"
                                            << "/"
                                            << ""
                                            << "http://[::1]/";
    QTest::newRow("IPv6 without port") << "[::80]"
                                       << "/"
                                       << ""
                                       << "http://[::80]/";
    QTest::newRow("no host (HTTP/1.0)") << ""
                                        << "/a"
                                        << ""
                                        << "http:///a";
  }
  void primary() {
    QFETCH(QString, host);
    QFETCH(QString, path);
    QFETCH(QString, query);
    QFETCH(QString, key);
    FieldStore store;
    const sluice::http::RequestHead req =
        store.request("GET", "", store.keep(host.toStdString()), store.keep(path.toStdString()),
                      store.keep(query.toStdString()));
    QCOMPARE(q(primaryKey(req)), key);
  }

  void fromUrl_data() {
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("key");  // "-" = nullopt
    QTest::newRow("http") << "http://Example.com/a?b"
                          << "http://example.com/a?b";
    QTest::newRow("https is the same resource") << "https://example.com:443/x"
                                                << "http://example.com/x";
    QTest::newRow("scheme case") << "HTTP://example.com/x"
                                 << "http://example.com/x";
    QTest::newRow("no path") << "http://example.com"
                             << "http://example.com/";
    QTest::newRow("query without path") << "http://example.com?q"
                                        << "http://example.com/?q";
    QTest::newRow("userinfo dropped") << "http://u:p@example.com/x"
                                      << "http://example.com/x";
    QTest::newRow("fragment dropped") << "http://h/p#frag"
                                      << "http://h/p";
    QTest::newRow("fragment after query dropped") << "http://h/p?q#f"
                                                  << "http://h/p?q";
    QTest::newRow("port kept") << "http://h:81/p"
                               << "http://h:81/p";
    QTest::newRow("relative") << "/relative"
                              << "-";
    QTest::newRow("other scheme") << "ftp://h/p"
                                  << "-";
    QTest::newRow("no host") << "http:///x"
                             << "-";
    QTest::newRow("only userinfo") << "http://u@/x"
                                   << "-";
    QTest::newRow("empty") << ""
                           << "-";
  }
  void fromUrl() {
    QFETCH(QString, url);
    QFETCH(QString, key);
    const std::optional<std::string> k = primaryKeyFromUrl(url.toStdString());
    QCOMPARE(k ? q(*k) : QStringLiteral("-"), key);
  }

  void urlKeyMatchesRequestKey() {
    FieldStore store;
    const sluice::http::RequestHead req = store.request("GET", "", "Example.com:80", "/p/q", "x=1");
    QCOMPARE(primaryKeyFromUrl("http://example.com/p/q?x=1"), std::optional<std::string>(primaryKey(req)));
  }

  void canonicalVary_data() {
    QTest::addColumn<QString>("fields");
    QTest::addColumn<QString>("names");
    QTest::newRow("none") << ""
                          << "";
    QTest::newRow("one") << "Vary: Accept-Encoding"
                         << "accept-encoding";
    QTest::newRow("sorted, lower-cased, deduplicated across lines")
        << "Vary: Accept-Encoding, accept-language|vary: ORIGIN, ACCEPT-ENCODING"
        << "accept-encoding,accept-language,origin";
    QTest::newRow("OWS and empty members") << "Vary: ,  Accept ,, \t"
                                           << "accept";
    QTest::newRow("non-tokens dropped") << "Vary: a b, c, d:e, \"f\""
                                        << "c";
    QTest::newRow("star") << "Vary: *"
                          << "*";
    QTest::newRow("star in a list") << "Vary: Accept, *"
                                    << "*";
    QTest::newRow("empty Vary") << "Vary: "
                                << "";
  }
  void canonicalVary() {
    QFETCH(QString, fields);
    QFETCH(QString, names);
    FieldStore store;
    QCOMPARE(q(sluice::filters::cache::canonicalVary(store.fields(fields))), names);
  }

  void variantWithoutVaryIsTheEmptyVariant() {
    FieldStore store;
    const sluice::http::RequestHead req = store.request("GET", "Accept: x");
    QCOMPARE(variantKey("http://h/a", req, ""), withNul("http://h/a", ""));
  }

  void variantEncoding() {
    FieldStore store;
    const sluice::http::RequestHead req = store.request("GET", "Accept: text/html|X-Empty: ");
    QCOMPARE(variantKey("http://h/a", req, "accept,x-absent,x-empty"),
             withNul("http://h/a", "accept=9:text/htmlx-absent;x-empty=0:"));
  }

  void variantEquivalences_data() {
    QTest::addColumn<QString>("names_a");
    QTest::addColumn<QString>("fields_a");
    QTest::addColumn<QString>("names_b");
    QTest::addColumn<QString>("fields_b");
    QTest::addColumn<bool>("same");
    QTest::newRow("name order") << "accept,accept-encoding"
                                << "Accept: a|Accept-Encoding: gzip"
                                << "Accept-Encoding, Accept"
                                << "Accept-Encoding: gzip|Accept: a" << true;
    QTest::newRow("name case and duplicates") << "accept"
                                              << "Accept: a"
                                              << "ACCEPT, accept,Accept"
                                              << "accept: a" << true;
    QTest::newRow("lines joined") << "accept"
                                  << "Accept: a|Accept: b"
                                  << "accept"
                                  << "Accept: a, b" << true;
    QTest::newRow("value case matters") << "accept"
                                        << "Accept: a"
                                        << "accept"
                                        << "Accept: A" << false;
    QTest::newRow("absent vs empty") << "accept"
                                     << ""
                                     << "accept"
                                     << "Accept: " << false;
    QTest::newRow("different values") << "accept-encoding"
                                      << "Accept-Encoding: gzip"
                                      << "accept-encoding"
                                      << "Accept-Encoding: br" << false;
    QTest::newRow("unrelated fields ignored") << "accept"
                                              << "Accept: a|Cookie: x=1"
                                              << "accept"
                                              << "Accept: a|Cookie: x=2" << true;
    QTest::newRow("length prefix prevents collisions") << "a,b"
                                                       << "A: x;b=1:y"
                                                       << "a,b"
                                                       << "A: x|B: y" << false;
    QTest::newRow("value that looks like the next name") << "a,b"
                                                         << "A: 1:xb;"
                                                         << "a,b"
                                                         << "A: 1:x" << false;
  }
  void variantEquivalences() {
    QFETCH(QString, names_a);
    QFETCH(QString, fields_a);
    QFETCH(QString, names_b);
    QFETCH(QString, fields_b);
    QFETCH(bool, same);
    FieldStore store;
    const std::string a = variantKey("http://h/a", store.request("GET", fields_a), names_a.toStdString());
    const std::string b = variantKey("http://h/a", store.request("GET", fields_b), names_b.toStdString());
    QCOMPARE(a == b, same);
    QVERIFY(a.rfind(withNul("http://h/a", ""), 0) == 0);
    QVERIFY(b.rfind(withNul("http://h/a", ""), 0) == 0);
  }

  void variantTrimsEachLine() {
    // Tables trim values; build the OWS in by hand.
    sluice::http::RequestHead a;
    a.headers.push_back({"Accept", " \ttext/html\t "});
    a.headers.push_back({"accept", "  b"});
    sluice::http::RequestHead b;
    b.headers.push_back({"Accept", "text/html, b"});
    QCOMPARE(variantKey("k", a, "accept"), variantKey("k", b, "accept"));
  }

  void allKeysOfAResourceShareItsPrefix() {
    // A URL purge deletes [primary + '\0', primary + '\1'): the vary record and every variant, and
    // nothing of a longer path.
    FieldStore store;
    const std::string primary = "http://h/a";
    const std::string lo = withNul(primary, "");
    const std::string hi = primary + '\1';
    for (const char* fields : {"", "Accept: x", "Accept: \x7f"}) {
      const std::string key = variantKey(primary, store.request("GET", fields), "accept");
      QVERIFY(key >= lo && key < hi);
    }
    QVERIFY(!(withNul("http://h/ab", "") < hi && withNul("http://h/ab", "") >= lo));
  }

  void varyRecordRoundTrip() {
    const std::string bytes = encodeVaryRecord("accept,accept-encoding", 1234567890123ull);
    QVERIFY(isVaryRecord(bytes));
    const std::optional<VaryRecordView> v = decodeVaryRecord(bytes);
    QVERIFY(v.has_value());
    QCOMPARE(q(v->names), QStringLiteral("accept,accept-encoding"));
    QCOMPARE(v->reclaim_at_ms, uint64_t{1234567890123ull});
    const std::optional<VaryRecordView> empty = decodeVaryRecord(encodeVaryRecord("", 0));
    QVERIFY(empty.has_value() && empty->names.empty());
  }

  void varyRecordRejectsCorruption() {
    const std::string bytes = encodeVaryRecord("accept", 42);
    for (size_t n = 0; n < bytes.size(); ++n) {
      QVERIFY(!decodeVaryRecord(std::string_view(bytes).substr(0, n)).has_value());
    }
    QVERIFY(!decodeVaryRecord(bytes + "x").has_value());
    std::string version = bytes;
    version[4] = 2;
    QVERIFY(!decodeVaryRecord(version).has_value());
    std::string reserved = bytes;
    reserved[6] = 1;
    QVERIFY(!decodeVaryRecord(reserved).has_value());
    std::string length = bytes;
    length[16] = static_cast<char>(0xff);
    QVERIFY(!decodeVaryRecord(length).has_value());
    QVERIFY(!isVaryRecord("SLCR...."));
    QVERIFY(!isVaryRecord(""));
  }
};

QTEST_APPLESS_MAIN(CacheKeyTest)
#include "cache_key_test.moc"
