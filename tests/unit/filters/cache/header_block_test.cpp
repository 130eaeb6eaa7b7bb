// Stored header blocks (engine/filters/cache/header_block.h): what is dropped, what is kept, and
// parsing a block back.

#include "engine/filters/cache/header_block.h"

#include <QtTest>

#include "tests/unit/filters/cache/cache_test_util.h"

using cache_test::FieldStore;
using cache_test::q;
using namespace sluice::filters::cache;

class HeaderBlockTest : public QObject {
  Q_OBJECT

 private slots:
  void build_data() {
    QTest::addColumn<QString>("fields");
    QTest::addColumn<QString>("block");  // "\n" stands for CRLF
    QTest::newRow("end-to-end kept in order and spelling")
        << "Content-Type: text/html|ETag: \"a\"|cache-control: max-age=5|Vary: Accept|Date: Sun, 06 Nov 1994 "
           "08:49:37 GMT|Cache-Control: public"
        << "Content-Type: text/html\nETag: \"a\"\ncache-control: max-age=5\nVary: Accept\nDate: Sun, 06 Nov "
           "1994 08:49:37 GMT\nCache-Control: public\n";
    QTest::newRow("hop-by-hop and framing dropped")
        << "Connection: keep-alive|Keep-Alive: timeout=5|Transfer-Encoding: chunked|TE: trailers|Trailer: X|"
           "Upgrade: h2c|Content-Length: 5|X-A: 1"
        << "X-A: 1\n";
    QTest::newRow("fields named by Connection dropped")
        << "Connection: X-Foo, x-bar|X-Foo: 1|X-Bar: 2|X-Baz: 3"
        << "X-Baz: 3\n";
    QTest::newRow("every Proxy- field dropped")
        << "Proxy-Connection: close|Proxy-Authenticate: Basic|Proxy-Status: x|proxy-foo: y|Proxyish: z"
        << "Proxyish: z\n";
    QTest::newRow("per-hit and private fields dropped")
        << "Age: 5|Cache-Status: other; hit|Set-Cookie: a=b|X: y"
        << "X: y\n";
    QTest::newRow("nothing left") << "Connection: close"
                                  << "";
    QTest::newRow("empty value kept") << "X-Empty: "
                                      << "X-Empty: \n";
  }
  void build() {
    QFETCH(QString, fields);
    QFETCH(QString, block);
    FieldStore store;
    QCOMPARE(q(buildHeaderBlock(store.fields(fields))), block.replace("\n", "\r\n"));
  }

  void parse() {
    const sluice::http::HeaderList fields =
        parseHeaderBlock("A: 1\r\nno colon\r\n: empty name\r\nB:2\r\n\r\nC:  3 \t\r\nD: 4");
    QCOMPARE(fields.size(), size_t{4});
    QCOMPARE(q(fields[0].name), QStringLiteral("A"));
    QCOMPARE(q(fields[0].value), QStringLiteral("1"));
    QCOMPARE(q(fields[1].name), QStringLiteral("B"));
    QCOMPARE(q(fields[1].value), QStringLiteral("2"));
    QCOMPARE(q(fields[2].value), QStringLiteral("3"));
    QCOMPARE(q(fields[3].name), QStringLiteral("D"));
    QCOMPARE(q(fields[3].value), QStringLiteral("4"));
    QVERIFY(parseHeaderBlock("").empty());
    QVERIFY(parseHeaderBlock("\r\n\r\n:\r\n").empty());
  }

  void roundTrip() {
    FieldStore store;
    const sluice::http::HeaderList in = store.fields("A: 1|B: two words|C: x:y");
    const std::string block = buildHeaderBlock(in);
    const sluice::http::HeaderList out = parseHeaderBlock(block);
    QCOMPARE(out.size(), in.size());
    for (size_t i = 0; i < in.size(); ++i) {
      QCOMPARE(out[i].name, in[i].name);
      QCOMPARE(out[i].value, in[i].value);
    }
  }

  void field() {
    const std::string_view block = "Content-Type: a\r\nETag: \"x\"\r\netag: \"y\"\r\nETagged: no\r\nDate:d";
    QCOMPARE(q(blockField(block, "etag")), QStringLiteral("\"x\""));
    QCOMPARE(q(blockField(block, "date")), QStringLiteral("d"));
    QCOMPARE(q(blockField(block, "ETaggedx")), QString());
    QCOMPARE(q(blockField(block, "missing")), QString());
    QCOMPARE(q(blockField("", "etag")), QString());
  }

  void storedFields() {
    QVERIFY(isStoredField("Content-Type", ""));
    QVERIFY(isStoredField("Date", ""));
    QVERIFY(!isStoredField("X-Hop", "close, X-Hop"));
    QVERIFY(!isStoredField("SET-COOKIE", ""));
    QVERIFY(isStoredField("Set-Cookie2x", ""));
  }
};

QTEST_APPLESS_MAIN(HeaderBlockTest)
#include "header_block_test.moc"
