// The test origin itself (tests/support/test_origin/README.md), checked without the node, so a failure
// elsewhere can be trusted to be the node's. Also exercises RawHttpClient and OriginProcess.

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "tests/support/origin_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

class TestOriginTest : public QObject {
  Q_OBJECT

 private:
  OriginProcess origin_;
  int port_ = -1;

 private slots:
  void initTestCase() {
    QVERIFY(origin_.start(QStringLiteral("self")));
    port_ = origin_.port();
  }

  void helloCarriesOriginId() {
    const HttpResponse response = RawHttpClient::exchange(port_, buildRequest("GET", "/anything"));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("x-origin-id"), QByteArray("self"));
    QCOMPARE(response.body, QByteArray("hello from self\n"));
  }

  void echoHeadersInOrder() {
    const HttpResponse response = RawHttpClient::exchange(
        port_,
        buildRequest("POST", "/echo-headers?x=1", {{"X-B", "2"}, {"X-A", "1"}, {"X-B", "3"}}, "body!"));
    QCOMPARE(response.status, 200);
    const QJsonObject echo = QJsonDocument::fromJson(response.body).object();
    QCOMPARE(echo.value("method").toString(), QStringLiteral("POST"));
    QCOMPARE(echo.value("target").toString(), QStringLiteral("/echo-headers?x=1"));
    QCOMPARE(echo.value("version").toString(), QStringLiteral("1.1"));
    QCOMPARE(echo.value("body_bytes").toInt(), 5);
    const QJsonArray headers = echo.value("headers").toArray();
    QCOMPARE(headers.size(), 5);  // Host, X-B, X-A, X-B, Content-Length
    QCOMPARE(headers[1].toArray()[0].toString(), QStringLiteral("X-B"));
    QCOMPARE(headers[3].toArray()[1].toString(), QStringLiteral("3"));
  }

  void sizeAndChunkedAndHead() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send(buildRequest("GET", "/size/70000") + buildRequest("GET", "/size/40000?chunked=1") +
                        buildRequest("HEAD", "/size/123") + buildRequest("GET", "/size/0")));
    const HttpResponse plain = client.readResponse();
    QCOMPARE(plain.header("Content-Length"), QByteArray("70000"));
    QCOMPARE(plain.body.size(), 70000);
    QCOMPARE(plain.body.mid(26 * 100, 3), QByteArray("abc"));
    const HttpResponse chunked = client.readResponse();
    QVERIFY(chunked.chunked);
    QCOMPARE(chunked.body, plain.body.left(40000));
    const HttpResponse head = client.readResponse(5000, {.head_request = true});
    QCOMPARE(head.header("Content-Length"), QByteArray("123"));
    QCOMPARE(head.body_bytes, 0);
    const HttpResponse empty = client.readResponse();
    QCOMPARE(empty.status, 200);
    QCOMPARE(empty.body_bytes, 0);
    QVERIFY(!empty.closed_after);
  }

  void uploadHashes() {
    const QByteArray body(300000, 'q');
    const HttpResponse plain = RawHttpClient::exchange(port_, buildRequest("PUT", "/upload", {}, body));
    const QJsonObject result = QJsonDocument::fromJson(plain.body).object();
    QCOMPARE(result.value("bytes").toInt(), body.size());
    QCOMPARE(result.value("sha256").toString().toLatin1(),
             QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex());
    const HttpResponse chunked = RawHttpClient::exchange(
        port_, "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    QVERIFY2(chunked.body.contains("\"bytes\":3"), chunked.body.constData());
  }

  void statusDelayCloseHang() {
    QCOMPARE(RawHttpClient::exchange(port_, buildRequest("GET", "/status/503")).status, 503);
    const HttpResponse no_content = RawHttpClient::exchange(port_, buildRequest("GET", "/status/204"));
    QCOMPARE(no_content.status, 204);
    QVERIFY(!no_content.hasHeader("Content-Length"));
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(RawHttpClient::exchange(port_, buildRequest("GET", "/delay/200")).status, 200);
    QVERIFY(timer.elapsed() >= 190);

    RawHttpClient closing;
    QVERIFY(closing.connect(port_));
    QVERIFY(closing.send(buildRequest("GET", "/close")));
    QVERIFY(closing.readUntilClosed(2000).isEmpty());

    RawHttpClient hanging;
    QVERIFY(hanging.connect(port_));
    QVERIFY(hanging.send(buildRequest("GET", "/hang")));
    QVERIFY(!hanging.isClosedByPeer(300));
    QCOMPARE(hanging.readResponse(200).status, 0);
  }

  void expectContinue() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(
        client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"));
    QCOMPARE(client.readResponse().status, 100);
    QVERIFY(client.send("hi"));
    QCOMPARE(client.readResponse().status, 200);
  }

  void malformedIs400AndClose() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n"));
    const HttpResponse response = client.readResponse();
    QCOMPARE(response.status, 400);
    QVERIFY(response.closed_after);
  }

  void http10Closes() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send("GET / HTTP/1.0\r\n\r\n"));
    const HttpResponse response = client.readResponse();
    QCOMPARE(response.status, 200);
    QVERIFY(response.closed_after);
  }

  void statsCountConnectionsAndRequests() {
    OriginProcess fresh;
    QVERIFY(fresh.start(QStringLiteral("fresh")));
    RawHttpClient client;
    QVERIFY(client.connect(fresh.port()));
    QVERIFY(client.send(buildRequest("GET", "/") + buildRequest("GET", "/")));
    QCOMPARE(client.readResponse().status, 200);
    QCOMPARE(client.readResponse().status, 200);
    const QJsonObject stats = fresh.stats();
    QCOMPARE(stats.value("requests").toInt(), 2);              // /stats is not counted
    QCOMPARE(stats.value("connections_accepted").toInt(), 2);  // the client and this probe
    QCOMPARE(stats.value("active_connections").toInt(), 2);
    client.close();
    QVERIFY(waitUntil([&] { return fresh.stats().value("active_connections").toInt() == 1; }, 2000));
  }
};

QTEST_GUILESS_MAIN(TestOriginTest)
#include "test_origin_test.moc"
