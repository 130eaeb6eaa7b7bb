// RequestParser (engine/http/request_parser.h): framing, limits and the smuggling defences.

#include "engine/http/request_parser.h"

#include <QtTest>
#include <string>
#include <utility>
#include <vector>

using sluice::http::ParserLimits;
using sluice::http::RequestHead;
using sluice::http::RequestListener;
using sluice::http::RequestParser;

namespace {

using Status = RequestParser::Status;
using Headers = std::vector<std::pair<std::string, std::string>>;

// A copy of everything the parser reported for one request (views die with the next message).
struct Recorded {
  std::string method;
  std::string target;
  std::string path;
  std::string query;
  std::string host;
  int version_major = 0;
  int version_minor = 0;
  Headers headers;
  bool has_content_length = false;
  uint64_t content_length = 0;
  bool chunked = false;
  bool keep_alive = false;
  bool expect_continue = false;
  std::string body;
  int body_pieces = 0;
  bool complete = false;
  std::string target_at_complete;  // head->target read again in onRequestComplete
};

class RecordingListener : public RequestListener {
 public:
  int onRequestHead(RequestHead& head) override {
    Recorded r;
    r.method.assign(head.method);
    r.target.assign(head.target);
    r.path.assign(head.path);
    r.query.assign(head.query);
    r.host.assign(head.host);
    r.version_major = head.version_major;
    r.version_minor = head.version_minor;
    for (const auto& h : head.headers) {
      r.headers.emplace_back(std::string(h.name), std::string(h.value));
    }
    r.has_content_length = head.has_content_length;
    r.content_length = head.content_length;
    r.chunked = head.chunked;
    r.keep_alive = head.keep_alive;
    r.expect_continue = head.expect_continue;
    requests.push_back(std::move(r));
    head_ = &head;
    if (parser != nullptr && body_limit != 0) {
      parser->setBodyLimit(body_limit);
    }
    return head_answer;
  }
  void onRequestBody(const char* data, size_t length) override {
    requests.back().body.append(data, length);
    ++requests.back().body_pieces;
  }
  void onRequestComplete() override {
    requests.back().complete = true;
    // The head's views must still be valid here (message_head.h: until the next message starts).
    requests.back().target_at_complete.assign(head_->target);
  }

  std::vector<Recorded> requests;
  int head_answer = 0;
  uint64_t body_limit = 0;
  RequestParser* parser = nullptr;

 private:
  const RequestHead* head_ = nullptr;
};

// A parser and its listener; feedAll() plays the connection: on Paused it resumes and feeds the rest.
struct Harness {
  explicit Harness(ParserLimits limits = {}) : parser(limits, &listener) { listener.parser = &parser; }

  RequestParser::Result feed(const std::string& bytes) { return parser.feed(bytes.data(), bytes.size()); }

  RequestParser::Result feedAll(const std::string& bytes) {
    size_t offset = 0;
    while (true) {
      const RequestParser::Result r = parser.feed(bytes.data() + offset, bytes.size() - offset);
      if (r.status != Status::Paused) {
        return r;
      }
      offset += r.consumed;
      parser.resume();
      if (offset == bytes.size()) {
        return r;
      }
    }
  }

  RecordingListener listener;
  RequestParser parser;
};

const std::string kSimpleGet =
    "GET /search/items?q=sluice&page=2 HTTP/1.1\r\n"
    "Host: api.example.com:8080\r\n"
    "User-Agent:   curl/8.0  \r\n"
    "Accept: */*\r\n"
    "X-Empty:\r\n"
    "X-Tabbed:\t value \t\r\n"
    "\r\n";

}  // namespace

class RequestParserTest : public QObject {
  Q_OBJECT

 private:
  static void checkSimpleGet(const Recorded& r) {
    QCOMPARE(r.method, std::string("GET"));
    QCOMPARE(r.target, std::string("/search/items?q=sluice&page=2"));
    QCOMPARE(r.path, std::string("/search/items"));
    QCOMPARE(r.query, std::string("q=sluice&page=2"));
    QCOMPARE(r.host, std::string("api.example.com:8080"));
    QCOMPARE(r.version_major, 1);
    QCOMPARE(r.version_minor, 1);
    const Headers expected = {{"Host", "api.example.com:8080"},
                              {"User-Agent", "curl/8.0"},
                              {"Accept", "*/*"},
                              {"X-Empty", ""},
                              {"X-Tabbed", "value"}};
    QCOMPARE(r.headers, expected);
    QVERIFY(!r.has_content_length);
    QVERIFY(!r.chunked);
    QVERIFY(r.keep_alive);
    QVERIFY(!r.expect_continue);
    QCOMPARE(r.body, std::string());
    QVERIFY(r.complete);
  }

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
  void simpleGet() {
    Harness h;
    const RequestParser::Result r = h.feed(kSimpleGet);
    QCOMPARE(r.status, Status::Paused);
    QCOMPARE(r.consumed, kSimpleGet.size());
    QCOMPARE(h.listener.requests.size(), size_t{1});
    checkSimpleGet(h.listener.requests[0]);
  }

  void headSplitByteByByte() {
    Harness h;
    for (size_t i = 0; i + 1 < kSimpleGet.size(); ++i) {
      const RequestParser::Result r = h.parser.feed(kSimpleGet.data() + i, 1);
      QCOMPARE(r.status, Status::NeedMore);
      QCOMPARE(r.consumed, size_t{1});
    }
    QVERIFY(h.listener.requests.empty());
    const RequestParser::Result r = h.parser.feed(kSimpleGet.data() + kSimpleGet.size() - 1, 1);
    QCOMPARE(r.status, Status::Paused);
    QCOMPARE(r.consumed, size_t{1});
    QCOMPARE(h.listener.requests.size(), size_t{1});
    checkSimpleGet(h.listener.requests[0]);
  }

  void pipelinedRequestsPauseAtEachBoundary() {
    const std::string first = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n";
    const std::string second = "POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";
    const std::string third = "GET /three HTTP/1.1\r\nHost: a\r\n\r\n";
    const std::string all = first + second + third;
    Harness h;

    RequestParser::Result r = h.feed(all);
    QCOMPARE(r.status, Status::Paused);
    QCOMPARE(r.consumed, first.size());
    QCOMPARE(h.listener.requests.size(), size_t{1});
    QCOMPARE(h.listener.requests[0].target, std::string("/one"));
    QVERIFY(h.listener.requests[0].complete);

    // Nothing more is parsed until resume().
    h.parser.resume();
    size_t offset = r.consumed;
    r = h.parser.feed(all.data() + offset, all.size() - offset);
    QCOMPARE(r.status, Status::Paused);
    QCOMPARE(r.consumed, second.size());
    QCOMPARE(h.listener.requests.size(), size_t{2});
    QCOMPARE(h.listener.requests[1].target, std::string("/two"));
    QCOMPARE(h.listener.requests[1].body, std::string("hello"));
    QVERIFY(h.listener.requests[1].complete);

    h.parser.resume();
    offset += r.consumed;
    r = h.parser.feed(all.data() + offset, all.size() - offset);
    QCOMPARE(r.status, Status::Paused);
    QCOMPARE(r.consumed, third.size());
    QCOMPARE(h.listener.requests.size(), size_t{3});
    QCOMPARE(h.listener.requests[2].target, std::string("/three"));
    QVERIFY(h.listener.requests[2].complete);
  }

  void pipelinedRequestSplitAcrossFeeds() {
    const std::string first = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n";
    const std::string second = "GET /two HTTP/1.1\r\nHost: b\r\n\r\n";
    Harness h;
    const std::string chunk = first + second.substr(0, 10);
    RequestParser::Result r = h.feed(chunk);
    QCOMPARE(r.status, Status::Paused);
    QCOMPARE(r.consumed, first.size());
    h.parser.resume();
    r = h.feed(second.substr(0, 10));
    QCOMPARE(r.status, Status::NeedMore);
    QCOMPARE(r.consumed, size_t{10});
    QCOMPARE(h.listener.requests.size(), size_t{1});
    r = h.feed(second.substr(10));
    QCOMPARE(r.status, Status::Paused);
    QCOMPARE(r.consumed, second.size() - 10);
    QCOMPARE(h.listener.requests.size(), size_t{2});
    QCOMPARE(h.listener.requests[1].target, std::string("/two"));
    QCOMPARE(h.listener.requests[1].host, std::string("b"));
  }

  void contentLengthBodyInPieces() {
    Harness h;
    RequestParser::Result r = h.feed("PUT /doc HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhel");
    QCOMPARE(r.status, Status::NeedMore);
    QCOMPARE(h.listener.requests.size(), size_t{1});
    const Recorded& req = h.listener.requests[0];
    QVERIFY(req.has_content_length);
    QCOMPARE(req.content_length, uint64_t{11});
    QVERIFY(!req.chunked);
    QCOMPARE(req.body, std::string("hel"));
    QVERIFY(!req.complete);
    QVERIFY(!h.parser.inHead());
    QVERIFY(h.parser.started());

    r = h.feed("lo ");
    QCOMPARE(r.status, Status::NeedMore);
    QCOMPARE(r.consumed, size_t{3});
    QVERIFY(!h.listener.requests[0].complete);

    // The rest of the body and the start of the next request: only the body is consumed.
    r = h.feed("worldGET");
    QCOMPARE(r.status, Status::Paused);
    QCOMPARE(r.consumed, size_t{5});
    QCOMPARE(h.listener.requests[0].body, std::string("hello world"));
    QCOMPARE(h.listener.requests[0].body_pieces, 3);
    QVERIFY(h.listener.requests[0].complete);
  }

  void chunkedBodyDecoded() {
    Harness h;
    const std::string request =
        "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n"
        "1;name=value\r\n \r\n"
        "A\r\n0123456789\r\n"
        "0\r\n\r\n";
    const RequestParser::Result r = h.feed(request);
    QCOMPARE(r.status, Status::Paused);
    QCOMPARE(r.consumed, request.size());
    QCOMPARE(h.listener.requests.size(), size_t{1});
    const Recorded& req = h.listener.requests[0];
    QVERIFY(req.chunked);
    QVERIFY(!req.has_content_length);
    QCOMPARE(req.body, std::string("hello 0123456789"));
    QVERIFY(req.complete);
  }

  void chunkedBodySplitByteByByte() {
    Harness h;
    const std::string request =
        "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
    RequestParser::Result r;
    for (size_t i = 0; i < request.size(); ++i) {
      r = h.parser.feed(request.data() + i, 1);
      if (i + 1 < request.size()) {
        QCOMPARE(r.status, Status::NeedMore);
      }
    }
    QCOMPARE(r.status, Status::Paused);
    QCOMPARE(h.listener.requests.size(), size_t{1});
    QCOMPARE(h.listener.requests[0].body, std::string("hello world"));
    QVERIFY(h.listener.requests[0].complete);
  }

  // Trailer fields arrive after onRequestHead; the head's views must survive them.
  void trailersKeepHeadViewsValid() {
    Harness h;
    const std::string request =
        "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n0\r\nX-Trailer: " +
        std::string(6000, 't') + "\r\n\r\n";
    const RequestParser::Result r = h.feed(request);
    QCOMPARE(r.status, Status::Paused);
    QCOMPARE(h.listener.requests.size(), size_t{1});
    QVERIFY(h.listener.requests[0].complete);
    QCOMPARE(h.listener.requests[0].target_at_complete, std::string("/upload"));
  }

  void uriLimit() {
    ParserLimits limits;
    limits.max_uri_size = 64;
    {
      Harness h(limits);
      const std::string ok = "GET /" + std::string(63, 'u') + " HTTP/1.1\r\nHost: a\r\n\r\n";
      QCOMPARE(h.feed(ok).status, Status::Paused);
      QCOMPARE(h.listener.requests[0].target.size(), size_t{64});
    }
    {
      Harness h(limits);
      const std::string too_long = "GET /" + std::string(64, 'u') + " HTTP/1.1\r\nHost: a\r\n\r\n";
      const RequestParser::Result r = h.feed(too_long);
      QCOMPARE(r.status, Status::Error);
      QCOMPARE(r.http_status, 414);
      QVERIFY(h.listener.requests.empty());
    }
    {
      // The target split across feeds counts as a whole.
      Harness h(limits);
      QCOMPARE(h.feed("GET /" + std::string(40, 'u')).status, Status::NeedMore);
      const RequestParser::Result r = h.feed(std::string(40, 'u') + " HTTP/1.1\r\nHost: a\r\n\r\n");
      QCOMPARE(r.status, Status::Error);
      QCOMPARE(r.http_status, 414);
    }
  }

  void headerSizeLimit() {
    ParserLimits limits;
    limits.max_header_size = 256;
    Harness h(limits);
    const RequestParser::Result r =
        h.feed("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(300, 'v') + "\r\n\r\n");
    QCOMPARE(r.status, Status::Error);
    QCOMPARE(r.http_status, 431);
    QVERIFY(h.listener.requests.empty());
    // The error is sticky.
    const RequestParser::Result again = h.feed("GET / HTTP/1.1\r\n");
    QCOMPARE(again.status, Status::Error);
    QCOMPARE(again.http_status, 431);
  }

  void headerSizeJustUnderLimitPasses() {
    ParserLimits limits;
    limits.max_header_size = 256;
    Harness h(limits);
    QCOMPARE(h.feed("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(200, 'v') + "\r\n\r\n").status,
             Status::Paused);
    QCOMPARE(h.listener.requests[0].headers[1].second.size(), size_t{200});
  }

  void headerCountLimit() {
    ParserLimits limits;
    limits.max_headers = 4;
    {
      Harness h(limits);
      QCOMPARE(h.feed("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n").status, Status::Paused);
      QCOMPARE(h.listener.requests[0].headers.size(), size_t{4});
    }
    {
      Harness h(limits);
      const RequestParser::Result r =
          h.feed("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n");
      QCOMPARE(r.status, Status::Error);
      QCOMPARE(r.http_status, 431);
      QVERIFY(h.listener.requests.empty());
    }
  }

  void chunkedBodyLimit() {
    const std::string head = "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    {
      Harness h;
      h.listener.body_limit = 10;
      const RequestParser::Result r = h.feed(head + "6\r\nabcdef\r\n4\r\nghij\r\n0\r\n\r\n");
      QCOMPARE(r.status, Status::Paused);
      QCOMPARE(h.listener.requests[0].body, std::string("abcdefghij"));
    }
    {
      Harness h;
      h.listener.body_limit = 10;
      QCOMPARE(h.feed(head + "6\r\nabcdef\r\n").status, Status::NeedMore);
      const RequestParser::Result r = h.feed("5\r\nghijk\r\n0\r\n\r\n");
      QCOMPARE(r.status, Status::Error);
      QCOMPARE(r.http_status, 413);
      QCOMPARE(h.listener.requests[0].body, std::string("abcdef"));
      QVERIFY(!h.listener.requests[0].complete);
    }
  }

  void bodyLimitIsPerRequest() {
    // The limit set for one request does not carry over to the next one.
    Harness h;
    h.listener.body_limit = 3;
    QCOMPARE(h.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc").status, Status::Paused);
    h.parser.resume();
    h.listener.body_limit = 0;
    const RequestParser::Result r = h.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 8\r\n\r\nabcdefgh");
    QCOMPARE(r.status, Status::Paused);
    QCOMPARE(h.listener.requests[1].body, std::string("abcdefgh"));
  }

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

  void absoluteFormTarget() {
    Harness h;
    QCOMPARE(h.feed("GET http://origin.example:8080/a/b?x=1 HTTP/1.1\r\nHost: other\r\n\r\n").status,
             Status::Paused);
    const Recorded& req = h.listener.requests[0];
    QCOMPARE(req.target, std::string("http://origin.example:8080/a/b?x=1"));
    QCOMPARE(req.host, std::string("origin.example:8080"));
    QCOMPARE(req.path, std::string("/a/b"));
    QCOMPARE(req.query, std::string("x=1"));
  }

  void absoluteFormWithoutHostHeader() {
    Harness h;
    QCOMPARE(h.feed("GET http://origin.example HTTP/1.1\r\n\r\n").status, Status::Paused);
    QCOMPARE(h.listener.requests[0].host, std::string("origin.example"));
    QCOMPARE(h.listener.requests[0].path, std::string("/"));
    QCOMPARE(h.listener.requests[0].query, std::string());
  }

  void expectContinue() {
    Harness h;
    QCOMPARE(
        h.feed("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nok").status,
        Status::Paused);
    QVERIFY(h.listener.requests[0].expect_continue);
    QCOMPARE(h.listener.requests[0].body, std::string("ok"));
  }

  void otherExpectationIs417() {
    Harness h;
    const RequestParser::Result r = h.feed("POST / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n");
    QCOMPARE(r.status, Status::Error);
    QCOMPARE(r.http_status, 417);
    QVERIFY(h.listener.requests.empty());
  }

  void connectIs405() {
    Harness h;
    const RequestParser::Result r =
        h.feed("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
    QCOMPARE(r.status, Status::Error);
    QCOMPARE(r.http_status, 405);
    QVERIFY(h.listener.requests.empty());
  }

  void keepAlive_data() {
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<bool>("keep_alive");
    QTest::newRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\n") << true;
    QTest::newRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                               << false;
    QTest::newRow("1.1 Close") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n")
                               << false;
    QTest::newRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
    QTest::newRow("1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << true;
  }
  void keepAlive() {
    QFETCH(QByteArray, request);
    QFETCH(bool, keep_alive);
    Harness h;
    QCOMPARE(h.feed(request.toStdString()).status, Status::Paused);
    QCOMPARE(h.listener.requests[0].keep_alive, keep_alive);
  }

  void http10WithoutHostIsAccepted() {
    Harness h;
    QCOMPARE(h.feed("GET /old HTTP/1.0\r\n\r\n").status, Status::Paused);
    QCOMPARE(h.listener.requests[0].version_minor, 0);
    QCOMPARE(h.listener.requests[0].host, std::string());
  }

  void listenerRefusal() {
    Harness h;
    h.listener.head_answer = 413;
    const RequestParser::Result r = h.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999\r\n\r\n");
    QCOMPARE(r.status, Status::Error);
    QCOMPARE(r.http_status, 413);
    QCOMPARE(std::string(r.reason), std::string("request refused"));
    QCOMPARE(h.listener.requests.size(), size_t{1});
    QVERIFY(h.listener.requests[0].body.empty());
  }

  // Connection: upgrade + Upgrade are accepted as a plain request (Sluice strips them). The next
  // request on the connection must then parse as usual, without an empty extra Paused.
  void upgradeRequestThenNextRequest() {
    Harness h;
    const std::string first =
        "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n";
    const std::string second = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";
    RequestParser::Result r = h.feed(first);
    QCOMPARE(r.status, Status::Paused);
    QCOMPARE(r.consumed, first.size());
    QCOMPARE(h.listener.requests.size(), size_t{1});
    h.parser.resume();
    r = h.feed(second);
    QCOMPARE(r.status, Status::Paused);
    QCOMPARE(r.consumed, second.size());
    QCOMPARE(h.listener.requests.size(), size_t{2});
    QCOMPARE(h.listener.requests[1].target, std::string("/next"));
  }

  void leadingEmptyLinesAreSkipped() {
    Harness h;
    const std::string request = "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";
    const RequestParser::Result r = h.feed(request);
    QCOMPARE(r.status, Status::Paused);
    QCOMPARE(r.consumed, request.size());
    QCOMPARE(h.listener.requests.size(), size_t{1});
  }
};

QTEST_APPLESS_MAIN(RequestParserTest)
#include "request_parser_test.moc"
