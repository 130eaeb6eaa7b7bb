// RequestParser (engine/http/request_parser.h): framing, limits, targets and keep-alive; the
// smuggling defences are in request_parser_smuggling_test.cpp.

#include <QtTest>
#include <string>

#include "tests/unit/http/request_parser_harness.h"

using namespace request_parser_test;

namespace {

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
