// Client-side connection reuse: keep-alive, pipelining (answers in request order, also through the
// proxy with responses of different latency), HTTP/1.0 and `Connection: close`.

#include <QtTest>

#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/origin_process.h"
#include "tests/support/raw_http_client.h"

using namespace sluice::test;

class KeepAliveTest : public QObject {
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
                                 "  - name: a\n"
                                 "    match: { path_exact: /a }\n"
                                 "    respond: { status: 200, body: \"A\" }\n"
                                 "  - name: b\n"
                                 "    match: { path_exact: /b }\n"
                                 "    respond: { status: 200, body: \"BB\" }\n"
                                 "  - name: c\n"
                                 "    match: { path_exact: /c }\n"
                                 "    respond: { status: 200, body: \"CCC\" }\n"
                                 "  - name: app\n"
                                 "    match: { path_prefix: / }\n"
                                 "    upstream: app\n")
                                 .arg(origin_.address());
    QVERIFY2(node_.start(nodeConfig(sections)), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
    QVERIFY(port_ > 0);
  }

  void severalRequestsOnOneConnection() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    for (int i = 0; i < 5; ++i) {
      QVERIFY(client.send(buildRequest("GET", i % 2 ? "/a" : "/echo-headers")));
      const HttpResponse response = client.readResponse();
      QCOMPARE(response.status, 200);
      QVERIFY2(!response.closed_after, qPrintable(QString::number(i)));
    }
  }

  void threePipelinedRequestsAnsweredInOrder() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send(buildRequest("GET", "/a") + buildRequest("GET", "/b") + buildRequest("GET", "/c")));
    QCOMPARE(client.readResponse().body, QByteArray("A"));
    QCOMPARE(client.readResponse().body, QByteArray("BB"));
    const HttpResponse last = client.readResponse();
    QCOMPARE(last.body, QByteArray("CCC"));
    QVERIFY(!last.closed_after);
  }

  void pipelinedProxiedRequestsKeepOrder() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    // The first answer is the slowest; the answers must still come back in request order.
    QVERIFY(client.send(buildRequest("GET", "/delay/300") + buildRequest("GET", "/a") +
                        buildRequest("GET", "/size/10") + buildRequest("POST", "/upload", {}, "xyz")));
    QCOMPARE(client.readResponse().body, QByteArray("delayed 300 ms\n"));
    QCOMPARE(client.readResponse().body, QByteArray("A"));
    QCOMPARE(client.readResponse().body, QByteArray("abcdefghij"));
    const HttpResponse upload = client.readResponse();
    QCOMPARE(upload.status, 200);
    QVERIFY2(upload.body.contains("\"bytes\":3"), upload.body.constData());
  }

  void http10WithoutKeepAliveCloses() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send("GET /a HTTP/1.0\r\nHost: x\r\n\r\n"));
    const HttpResponse response = client.readResponse();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("A"));
    QVERIFY(response.closed_after || client.isClosedByPeer());
  }

  void http10ProxiedCloses() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send("GET /echo-headers HTTP/1.0\r\nHost: x\r\n\r\n"));
    const HttpResponse response = client.readResponse();
    QCOMPARE(response.status, 200);
    QVERIFY(response.closed_after || client.isClosedByPeer());
  }

  void connectionCloseIsHonoured() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send(buildRequest("GET", "/a", {{"Connection", "close"}})));
    const HttpResponse response = client.readResponse();
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("Connection").toLower(), QByteArray("close"));
    QVERIFY(response.closed_after || client.isClosedByPeer());
  }

  void connectionCloseStopsPipeline() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send(buildRequest("GET", "/a", {{"Connection", "close"}}) + buildRequest("GET", "/b")));
    QCOMPARE(client.readResponse().body, QByteArray("A"));
    const QByteArray rest = client.readUntilClosed(3000);
    QVERIFY2(rest.isEmpty(), rest.constData());  // nothing after the response marked close
  }
};

QTEST_GUILESS_MAIN(KeepAliveTest)
#include "keepalive_test.moc"
