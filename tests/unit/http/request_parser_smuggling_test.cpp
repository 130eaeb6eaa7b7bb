// RequestParser (engine/http/request_parser.h): the request-smuggling defences, including the checks
// Sluice adds over llhttp 8.1 (bare CR/LF, obs-fold, space before colon, chunk framing).

#include <QtTest>
#include <string>

#include "tests/unit/http/request_parser_harness.h"

using namespace request_parser_test;

class RequestParserSmugglingTest : public QObject {
  Q_OBJECT

 private:
  // Feeds `bytes` whole and expects the parser to refuse it with `status` before any head is delivered.
  static void expectRejected(const std::string& bytes, int status) {
    Harness h;
    const RequestParser::Result r = h.feedAll(bytes);
    QCOMPARE(r.status, Status::Error);
    QCOMPARE(r.http_status, status);
    QVERIFY(r.reason != nullptr);
    QVERIFY(std::string(r.reason).size() > 0);
    QCOMPARE(h.listener.requests.size(), size_t{0});
  }

 private slots:
  void smuggling_data() {
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("CL and TE") << QByteArray(
                                      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                                      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                               << 400;
    QTest::newRow("TE and CL") << QByteArray(
                                      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                                      "Content-Length: 5\r\n\r\n0\r\n\r\n")
                               << 400;
    QTest::newRow("two different CL") << QByteArray(
                                             "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                                             "Content-Length: 6\r\n\r\nhello!")
                                      << 400;
    QTest::newRow("CL 1x") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\nab") << 400;
    QTest::newRow("CL negative") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n")
                                 << 400;
    QTest::newRow("bad chunk size") << QByteArray(
                                           "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                                           "zz\r\nhello\r\n0\r\n\r\n")
                                    << 400;
    QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n two\r\n\r\n") << 400;
    QTest::newRow("obs-fold tab") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n\ttwo\r\n\r\n")
                                  << 400;
    QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\nHost: a\n\n") << 400;
    QTest::newRow("bare LF in one header") << QByteArray("GET / HTTP/1.1\r\nHost: a\nX-A: b\r\n\r\n") << 400;
    QTest::newRow("TE gzip, chunked")
        << QByteArray(
               "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n"
               "\r\n0\r\n\r\n")
        << 400;
    QTest::newRow("TE twice") << QByteArray(
                                     "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                                     "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                              << 400;
    QTest::newRow("TE in HTTP/1.0") << QByteArray(
                                           "POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                                           "0\r\n\r\n")
                                    << 400;
    QTest::newRow("two Host") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << 400;
    QTest::newRow("HTTP/1.1 without Host") << QByteArray("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n") << 400;
    QTest::newRow("target not origin-form") << QByteArray("GET ftp://a/b HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    // RFC 9112, 5.1: whitespace between a field name and the colon MUST be answered with 400.
    QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A : b\r\n\r\n") << 400;
    // RFC 9112, 2.2: a bare CR is invalid; llhttp 8.1 takes "\r\n\r" as the end of the head.
    QTest::newRow("bare CR ends head")
        << QByteArray(
               "GET / HTTP/1.1\r\nHost: a\r\n\rGET /admin HTTP/1.1\r\nHost: a\r\n"
               "\r\n")
        << 400;
    // RFC 9112, 7.1: chunk-data is followed by CRLF, not by any two bytes.
    QTest::newRow("chunk data without CRLF")
        << QByteArray(
               "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
               "\r\n5\r\nhelloXX0\r\n\r\n")
        << 400;
  }
  void smuggling() {
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    Harness h;
    const RequestParser::Result r = h.feedAll(request.toStdString());
    QCOMPARE(r.status, Status::Error);
    QCOMPARE(r.http_status, status);
    QVERIFY(std::string(r.reason).size() > 0);
    // Some refusals come after the head (chunk framing): then the request was never completed.
    for (const Recorded& req : h.listener.requests) {
      QVERIFY(!req.complete);
    }
  }

  void smugglingRefusedBeforeHead() {
    expectRejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
                   400);
    expectRejected("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
    expectRejected("GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n two\r\n\r\n", 400);
    expectRejected("GET / HTTP/1.1\nHost: a\n\n", 400);
  }

  // The CRLF after chunk data, and a CR that ends a read, are checked even when the bytes that
  // decide arrive in the next read.
  void framingCheckedAcrossReads() {
    const std::string head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    {
      Harness h;
      QCOMPARE(h.feed(head + "5\r\nhel").status, Status::NeedMore);
      QCOMPARE(h.feed("lo").status, Status::NeedMore);
      QCOMPARE(h.feed("\r").status, Status::NeedMore);
      const RequestParser::Result r = h.feed("\n0\r\n\r\n");
      QCOMPARE(r.status, Status::Paused);
      QCOMPARE(r.consumed, size_t{6});
      QCOMPARE(h.listener.requests[0].body, std::string("hello"));
    }
    {
      Harness h;
      QCOMPARE(h.feed(head).status, Status::NeedMore);
      QCOMPARE(h.feed("5\r\nhello").status, Status::NeedMore);
      const RequestParser::Result r = h.feed("XX0\r\n\r\n");
      QCOMPARE(r.status, Status::Error);
      QCOMPARE(r.http_status, 400);
      QVERIFY(!h.listener.requests[0].complete);
    }
    {
      Harness h;
      QCOMPARE(h.feed(head).status, Status::NeedMore);
      QCOMPARE(h.feed("5\r\nhello\r").status, Status::NeedMore);
      const RequestParser::Result r = h.feed("X0\r\n\r\n");
      QCOMPARE(r.status, Status::Error);
      QCOMPARE(r.http_status, 400);
    }
    {
      Harness h;
      QCOMPARE(h.feed("GET / HTTP/1.1\r\nHost: a\r\n\r").status, Status::NeedMore);
      const RequestParser::Result r = h.feed("GET /admin HTTP/1.1\r\nHost: a\r\n\r\n");
      QCOMPARE(r.status, Status::Error);
      QCOMPARE(r.http_status, 400);
      QVERIFY(h.listener.requests.empty());
    }
    {
      Harness h;
      QCOMPARE(h.feed("GET / HTTP/1.1\r\nHost: a\r\nX-A ").status, Status::NeedMore);
      const RequestParser::Result r = h.feed(": b\r\n\r\n");
      QCOMPARE(r.status, Status::Error);
      QCOMPARE(r.http_status, 400);
      QVERIFY(h.listener.requests.empty());
    }
  }

  // A client's first read often holds the head and the first chunk, ending right after its data.
  void chunkDataEndingTheFirstRead() {
    const std::string head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    Harness h;
    const RequestParser::Result first = h.feed(head + "5\r\nhello");
    QCOMPARE(first.status, Status::NeedMore);
    QCOMPARE(first.consumed, head.size() + 8);
    const RequestParser::Result r = h.feed("\r\n0\r\n\r\n");
    QCOMPARE(r.status, Status::Paused);
    QCOMPARE(h.listener.requests.size(), size_t{1});
    QCOMPARE(h.listener.requests[0].body, std::string("hello"));
  }

  void upgradeRequestsPipelinedInOneRead() {
    Harness h;
    const std::string ws = "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n";
    const std::string all = ws + ws + "GET /last HTTP/1.1\r\nHost: a\r\n\r\n";
    size_t offset = 0;
    std::vector<size_t> consumed;
    while (offset < all.size()) {
      const RequestParser::Result r = h.parser.feed(all.data() + offset, all.size() - offset);
      QCOMPARE(r.status, Status::Paused);
      consumed.push_back(r.consumed);
      offset += r.consumed;
      h.parser.resume();
    }
    QCOMPARE(consumed, (std::vector<size_t>{ws.size(), ws.size(), all.size() - 2 * ws.size()}));
    QCOMPARE(h.listener.requests.size(), size_t{3});
    QCOMPARE(h.listener.requests[2].target, std::string("/last"));
  }

  void bareLfInSecondPipelinedRequest() {
    Harness h;
    const std::string first = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n";
    const RequestParser::Result r = h.feedAll(first + "GET /two HTTP/1.1\nHost: a\n\n");
    QCOMPARE(r.status, Status::Error);
    QCOMPARE(r.http_status, 400);
    QCOMPARE(h.listener.requests.size(), size_t{1});
    QCOMPARE(h.listener.requests[0].target, std::string("/one"));
  }
};

QTEST_APPLESS_MAIN(RequestParserSmugglingTest)
#include "request_parser_smuggling_test.moc"
