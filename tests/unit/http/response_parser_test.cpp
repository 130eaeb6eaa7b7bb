// ResponseParser (engine/http/response_parser.h): upstream response framing.

#include "engine/http/response_parser.h"

#include <QtTest>
#include <string>
#include <utility>
#include <vector>

using sluice::http::ResponseHead;
using sluice::http::ResponseListener;
using sluice::http::ResponseParser;

namespace {

using Status = ResponseParser::Status;
using Headers = std::vector<std::pair<std::string, std::string>>;

class RecordingListener : public ResponseListener {
 public:
  void onResponseHead(ResponseHead& head) override {
    ++heads;
    status = head.status;
    reason.assign(head.reason);
    version_minor = head.version_minor;
    headers.clear();
    for (const auto& h : head.headers) {
      headers.emplace_back(std::string(h.name), std::string(h.value));
    }
    has_content_length = head.has_content_length;
    content_length = head.content_length;
    chunked = head.chunked;
    keep_alive = head.keep_alive;
    head_ = &head;
  }
  void onResponseBody(const char* data, size_t length) override {
    body.append(data, length);
    ++body_pieces;
  }
  void onResponseComplete() override {
    ++completes;
    // The head's views must still be valid here (message_head.h: until the next message starts).
    reason_at_complete.assign(head_->reason);
  }

  int heads = 0;
  int status = 0;
  std::string reason;
  int version_minor = -1;
  Headers headers;
  bool has_content_length = false;
  uint64_t content_length = 0;
  bool chunked = false;
  bool keep_alive = false;
  std::string body;
  int body_pieces = 0;
  int completes = 0;
  std::string reason_at_complete;

 private:
  const ResponseHead* head_ = nullptr;
};

struct Harness {
  explicit Harness(bool head_request = false) : parser(&listener) { parser.start(head_request); }
  ResponseParser::Result feed(const std::string& bytes) { return parser.feed(bytes.data(), bytes.size()); }

  RecordingListener listener;
  ResponseParser parser;
};

}  // namespace

class ResponseParserTest : public QObject {
  Q_OBJECT

 private slots:
  void contentLengthBody() {
    Harness h;
    const std::string response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A:  b \r\n\r\nhello";
    const ResponseParser::Result r = h.feed(response + "HTTP/1.1 ");
    QCOMPARE(r.status, Status::Complete);
    QCOMPARE(r.consumed, response.size());
    QVERIFY(h.parser.headReceived());
    QVERIFY(h.parser.keepAlive());
    QCOMPARE(h.listener.heads, 1);
    QCOMPARE(h.listener.status, 200);
    QCOMPARE(h.listener.reason, std::string("OK"));
    QCOMPARE(h.listener.version_minor, 1);
    const Headers expected = {{"Content-Length", "5"}, {"X-A", "b"}};
    QCOMPARE(h.listener.headers, expected);
    QVERIFY(h.listener.has_content_length);
    QCOMPARE(h.listener.content_length, uint64_t{5});
    QVERIFY(!h.listener.chunked);
    QCOMPARE(h.listener.body, std::string("hello"));
    QCOMPARE(h.listener.completes, 1);
  }

  void contentLengthBodyInPieces() {
    Harness h;
    ResponseParser::Result r = h.feed("HTTP/1.1 200 OK\r\nContent-Le");
    QCOMPARE(r.status, Status::NeedMore);
    QCOMPARE(r.consumed, size_t{27});
    QVERIFY(!h.parser.headReceived());
    r = h.feed("ngth: 10\r\n\r\n0123");
    QCOMPARE(r.status, Status::NeedMore);
    QVERIFY(h.parser.headReceived());
    QCOMPARE(h.listener.body, std::string("0123"));
    r = h.feed("456789");
    QCOMPARE(r.status, Status::Complete);
    QCOMPARE(r.consumed, size_t{6});
    QCOMPARE(h.listener.body, std::string("0123456789"));
    QCOMPARE(h.listener.body_pieces, 2);
    QCOMPARE(h.listener.completes, 1);
  }

  void chunkedBody() {
    Harness h;
    const std::string response =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n";
    const ResponseParser::Result r = h.feed(response);
    QCOMPARE(r.status, Status::Complete);
    QCOMPARE(r.consumed, response.size());
    QVERIFY(h.listener.chunked);
    QVERIFY(!h.listener.has_content_length);
    QCOMPARE(h.listener.body, std::string("Wikipedia"));
    QVERIFY(h.parser.keepAlive());
  }

  // Trailer fields arrive after onResponseHead; the head's views must survive them.
  void trailersKeepHeadViewsValid() {
    Harness h;
    const std::string response =
        "HTTP/1.1 200 Fine\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n0\r\nX-T: " +
        std::string(6000, 't') + "\r\n\r\n";
    QCOMPARE(h.feed(response).status, Status::Complete);
    QCOMPARE(h.listener.reason_at_complete, std::string("Fine"));
  }

  void readUntilClose() {
    Harness h;
    ResponseParser::Result r = h.feed("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nabc");
    QCOMPARE(r.status, Status::NeedMore);
    r = h.feed("def");
    QCOMPARE(r.status, Status::NeedMore);
    QCOMPARE(h.listener.completes, 0);
    r = h.parser.finish();
    QCOMPARE(r.status, Status::Complete);
    QCOMPARE(h.listener.body, std::string("abcdef"));
    QCOMPARE(h.listener.completes, 1);
    QVERIFY(!h.parser.keepAlive());
    QVERIFY(!h.listener.keep_alive);
    // finish() again is harmless.
    QCOMPARE(h.parser.finish().status, Status::Complete);
    QCOMPARE(h.listener.completes, 1);
  }

  void headResponseHasNoBody() {
    Harness h(true);
    const std::string response = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n";
    const ResponseParser::Result r = h.feed(response);
    QCOMPARE(r.status, Status::Complete);
    QCOMPARE(r.consumed, response.size());
    QVERIFY(h.listener.has_content_length);
    QCOMPARE(h.listener.content_length, uint64_t{100});
    QCOMPARE(h.listener.body, std::string());
    QCOMPARE(h.listener.completes, 1);
    QVERIFY(h.parser.keepAlive());
  }

  void headResponseChunkedHasNoBody() {
    Harness h(true);
    const std::string response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    const ResponseParser::Result r = h.feed(response);
    QCOMPARE(r.status, Status::Complete);
    QCOMPARE(r.consumed, response.size());
    QCOMPARE(h.listener.body, std::string());
  }

  void interimResponsesAreSkipped() {
    Harness h;
    const std::string response =
        "HTTP/1.1 100 Continue\r\n\r\n"
        "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
        "HTTP/1.1 201 Created\r\nContent-Length: 2\r\nLocation: /x\r\n\r\nok";
    const ResponseParser::Result r = h.feed(response);
    QCOMPARE(r.status, Status::Complete);
    QCOMPARE(r.consumed, response.size());
    QCOMPARE(h.listener.heads, 1);
    QCOMPARE(h.listener.status, 201);
    QCOMPARE(h.listener.reason, std::string("Created"));
    const Headers expected = {{"Content-Length", "2"}, {"Location", "/x"}};
    QCOMPARE(h.listener.headers, expected);
    QCOMPARE(h.listener.body, std::string("ok"));
    QCOMPARE(h.listener.completes, 1);
  }

  void interimSplitFromFinal() {
    Harness h;
    ResponseParser::Result r = h.feed("HTTP/1.1 100 Continue\r\n\r\n");
    QCOMPARE(r.status, Status::NeedMore);
    QVERIFY(!h.parser.headReceived());
    QCOMPARE(h.listener.heads, 0);
    r = h.feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    QCOMPARE(r.status, Status::Complete);
    QCOMPARE(h.listener.status, 200);
  }

  void switchingProtocolsIsAnError() {
    Harness h;
    const ResponseParser::Result r = h.feed("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
    QCOMPARE(r.status, Status::Error);
    QCOMPARE(h.listener.heads, 0);
  }

  void noBodyStatuses_data() {
    QTest::addColumn<QByteArray>("response");
    QTest::newRow("204") << QByteArray("HTTP/1.1 204 No Content\r\n\r\n");
    QTest::newRow("304") << QByteArray("HTTP/1.1 304 Not Modified\r\n\r\n");
    // RFC 9110, 15.3.5 and 15.4.5: no content whatever Content-Length says (it describes the
    // selected representation). llhttp 8.1 waits for that many body bytes unless told to skip.
    QTest::newRow("204 with Content-Length")
        << QByteArray("HTTP/1.1 204 No Content\r\nContent-Length: 50\r\n\r\n");
    QTest::newRow("304 with Content-Length")
        << QByteArray("HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n");
  }
  void noBodyStatuses() {
    QFETCH(QByteArray, response);
    Harness h;
    const ResponseParser::Result r = h.feed(response.toStdString());
    QCOMPARE(r.status, Status::Complete);
    QCOMPARE(r.consumed, static_cast<size_t>(response.size()));
    QCOMPARE(h.listener.body, std::string());
  }

  void truncatedBody() {
    Harness h;
    QCOMPARE(h.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234").status, Status::NeedMore);
    const ResponseParser::Result r = h.parser.finish();
    QCOMPARE(r.status, Status::Error);
    QCOMPARE(std::string(r.reason), std::string("upstream closed mid-response"));
    QCOMPARE(h.listener.completes, 0);
  }

  void truncatedChunkedBody() {
    Harness h;
    QCOMPARE(h.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel").status,
             Status::NeedMore);
    const ResponseParser::Result r = h.parser.finish();
    QCOMPARE(r.status, Status::Error);
    QCOMPARE(std::string(r.reason), std::string("upstream closed mid-response"));
  }

  void closedBeforeResponding() {
    Harness h;
    const ResponseParser::Result r = h.parser.finish();
    QCOMPARE(r.status, Status::Error);
    QCOMPARE(std::string(r.reason), std::string("upstream closed before responding"));
    Harness partial;
    QCOMPARE(partial.feed("HTTP/1.1 200 O").status, Status::NeedMore);
    QCOMPARE(std::string(partial.parser.finish().reason), std::string("upstream closed before responding"));
  }

  void keepAlive_data() {
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<bool>("keep_alive");
    QTest::newRow("1.1") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n") << true;
    QTest::newRow("1.1 close") << QByteArray(
                                      "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                               << false;
    QTest::newRow("1.0") << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n") << false;
    QTest::newRow("1.0 keep-alive")
        << QByteArray("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n") << true;
  }
  void keepAlive() {
    QFETCH(QByteArray, response);
    QFETCH(bool, keep_alive);
    Harness h;
    QCOMPARE(h.feed(response.toStdString()).status, Status::Complete);
    QCOMPARE(h.parser.keepAlive(), keep_alive);
    QCOMPARE(h.listener.keep_alive, keep_alive);
  }

  void startResetsForTheNextResponse() {
    Harness h;
    QCOMPARE(h.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na").status, Status::Complete);
    h.parser.start(false);
    QVERIFY(!h.parser.headReceived());
    QVERIFY(!h.parser.keepAlive());
    QCOMPARE(h.feed("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno").status, Status::Complete);
    QCOMPARE(h.listener.status, 404);
    QCOMPARE(h.listener.reason, std::string("Not Found"));
    QCOMPARE(h.listener.body, std::string("ano"));
    QCOMPARE(h.listener.completes, 2);
  }

  void headTooLarge() {
    Harness h;
    const ResponseParser::Result r =
        h.feed("HTTP/1.1 200 OK\r\nX-Big: " + std::string(70 * 1024, 'v') + "\r\n\r\n");
    QCOMPARE(r.status, Status::Error);
    QCOMPARE(std::string(r.reason), std::string("response head too large"));
    QCOMPARE(h.listener.heads, 0);
  }

  // The status line is part of the head: an endless reason phrase must not grow the buffer forever.
  void reasonPhraseCountsTowardsTheHeadLimit() {
    Harness h;
    const ResponseParser::Result r = h.feed("HTTP/1.1 200 " + std::string(70 * 1024, 'r') + "\r\n\r\n");
    QCOMPARE(r.status, Status::Error);
    QCOMPARE(std::string(r.reason), std::string("response head too large"));
    QCOMPARE(h.listener.heads, 0);
  }

  void garbageIsAnError() {
    Harness h;
    const ResponseParser::Result r = h.feed("SSH-2.0-OpenSSH\r\n");
    QCOMPARE(r.status, Status::Error);
    QVERIFY(std::string(r.reason).size() > 0);
  }
};

QTEST_APPLESS_MAIN(ResponseParserTest)
#include "response_parser_test.moc"
