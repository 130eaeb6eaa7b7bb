// HEAD (headers with Content-Length, no body, the connection stays usable) and
// `Expect: 100-continue` (100 before the final answer within the body limit; 413 without 100 over it).

#include <QtTest>

#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/origin_process.h"
#include "tests/support/raw_http_client.h"

using namespace sluice::test;

class HttpSemanticsTest : public QObject {
  Q_OBJECT

 private:
  OriginProcess origin_;
  NodeProcess node_;
  int port_ = -1;

 private slots:
  void initTestCase() {
    QVERIFY(origin_.start(QStringLiteral("o1")));
    const QString sections = QStringLiteral(
                                 "upstreams:\n"
                                 "  - name: app\n"
                                 "    servers: [%1]\n"
                                 "routes:\n"
                                 "  - name: fixed\n"
                                 "    match: { path_exact: /fixed }\n"
                                 "    respond: { status: 200, body: \"fixed body\\n\" }\n"
                                 "  - name: app\n"
                                 "    match: { path_prefix: / }\n"
                                 "    upstream: app\n"
                                 "    max_body_size: 1000\n")
                                 .arg(origin_.address());
    QVERIFY2(node_.start(nodeConfig(sections)), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
    QVERIFY(port_ > 0);
  }

  void headOnRespondRoute() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send(buildRequest("HEAD", "/fixed") + buildRequest("GET", "/fixed")));
    const HttpResponse head = client.readResponse(5000, {.head_request = true});
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("Content-Length"), QByteArray("11"));
    QCOMPARE(head.body_bytes, 0);
    // No stray body bytes: the next response parses cleanly.
    const HttpResponse get = client.readResponse();
    QCOMPARE(get.status, 200);
    QCOMPARE(get.body, QByteArray("fixed body\n"));
  }

  void headOnProxiedRoute() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send(buildRequest("HEAD", "/size/100000")));
    const HttpResponse head = client.readResponse(5000, {.head_request = true});
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("Content-Length"), QByteArray("100000"));
    QCOMPARE(head.body_bytes, 0);
    QVERIFY(client.send(buildRequest("GET", "/size/5")));
    const HttpResponse get = client.readResponse();
    QCOMPARE(get.status, 200);
    QCOMPARE(get.body, QByteArray("abcde"));
  }

  void expectContinueWithinLimit() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send(
        "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n"));
    const HttpResponse interim = client.readResponse(3000);
    QVERIFY2(interim.status == 100, qPrintable(interim.describe()));
    QVERIFY(client.send("0123456789"));
    HttpResponse final_response = client.readResponse();
    while (final_response.status == 100) {  // a second 100 (e.g. relayed from the origin) is legal
      final_response = client.readResponse();
    }
    QCOMPARE(final_response.status, 200);
    QVERIFY2(final_response.body.contains("\"bytes\":10"), final_response.body.constData());
  }

  void expectContinueOverLimitIs413Without100() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send(
        "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n"));
    const HttpResponse response = client.readResponse(3000);
    QVERIFY2(response.status == 413, qPrintable(response.describe()));
  }
};

QTEST_GUILESS_MAIN(HttpSemanticsTest)
#include "http_semantics_test.moc"
