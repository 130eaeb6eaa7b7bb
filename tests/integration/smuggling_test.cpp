// Request smuggling: every ambiguous framing is refused with 400 and a closed connection, and nothing
// of it (in particular no second request hidden in the body) reaches the origin.

#include <QtTest>

#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/origin_process.h"
#include "tests/support/raw_http_client.h"

using namespace sluice::test;

namespace {

const QByteArray kSmuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

}  // namespace

class SmugglingTest : public QObject {
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
                                 "  - name: app\n"
                                 "    match: { path_prefix: / }\n"
                                 "    upstream: app\n")
                                 .arg(origin_.address());
    QVERIFY2(node_.start(nodeConfig(sections)), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
    QVERIFY(port_ > 0);
  }

  void ambiguousFramingIsRejected_data() {
    QTest::addColumn<QByteArray>("request");
    const QByteArray chunkedEnd = "0\r\n\r\n";
    QTest::newRow("content-length and transfer-encoding")
        << "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + QByteArray::number(5 + kSmuggled.size()) +
               "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedEnd + kSmuggled;
    QTest::newRow("transfer-encoding then content-length")
        << "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: " +
               QByteArray::number(5 + kSmuggled.size()) + "\r\n\r\n" + chunkedEnd + kSmuggled;
    QTest::newRow("two different content-lengths")
        << "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: " +
               QByteArray::number(kSmuggled.size()) + "\r\n\r\n" + kSmuggled;
    QTest::newRow("content-length 1x")
        << "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\nx" + kSmuggled;
    QTest::newRow("negative content-length")
        << "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n" + kSmuggled;
    QTest::newRow("space before colon")
        << "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length : " + QByteArray::number(kSmuggled.size()) +
               "\r\n\r\n" + kSmuggled;
    QTest::newRow("bad chunk size")
        << "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" + kSmuggled;
    QTest::newRow("obs-fold") << "GET / HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n" + kSmuggled;
    QTest::newRow("bare LF") << "GET / HTTP/1.1\nHost: x\n\n" + kSmuggled;
    QTest::newRow("gzip, chunked")
        << "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" + chunkedEnd +
               kSmuggled;
    QTest::newRow("chunked, gzip")
        << "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n" + chunkedEnd +
               kSmuggled;
  }

  void ambiguousFramingIsRejected() {
    QFETCH(QByteArray, request);
    const qint64 before = origin_.requests();
    QVERIFY(before >= 0);
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send(request));
    const HttpResponse response = client.readResponse(3000);
    QVERIFY2(response.status == 400, qPrintable(response.describe()));
    QVERIFY2(response.closed_after || client.isClosedByPeer(), "the connection stayed open after a 400");
    QCOMPARE(origin_.requests(), before);
  }

  void honestChunkedBodyIsOneRequest() {
    const qint64 before = origin_.requests();
    const QByteArray body = "0\r\n\r\n" + kSmuggled;  // looks like framing, is only data
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                        QByteArray::number(body.size(), 16) + "\r\n" + body + "\r\n0\r\n\r\n"));
    const HttpResponse response = client.readResponse();
    QCOMPARE(response.status, 200);
    QVERIFY2(response.body.contains("\"bytes\":" + QByteArray::number(body.size())),
             response.body.constData());
    QCOMPARE(origin_.requests(), before + 1);
  }
};

QTEST_GUILESS_MAIN(SmugglingTest)
#include "smuggling_test.moc"
