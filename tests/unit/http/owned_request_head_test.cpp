// Deep copies of request heads (engine/http/owned_request_head.h): the copy outlives the buffer it
// was taken from, drops the named fields and appends new ones.

#include "engine/http/owned_request_head.h"

#include <QtTest>
#include <string>

using namespace sluice::http;

class OwnedRequestHeadTest : public QObject {
  Q_OBJECT

 private slots:
  void copiesEverythingAndOutlivesTheSource() {
    auto buffer = std::make_unique<std::string>("GET /a/b?x=1 HTTP/1.1 example.com If-None-Match \"v\" Accept text/html");
    const std::string& b = *buffer;
    RequestHead head;
    head.method = std::string_view(b).substr(0, 3);
    head.target = std::string_view(b).substr(4, 8);
    head.path = std::string_view(b).substr(4, 4);
    head.query = std::string_view(b).substr(9, 3);
    head.host = std::string_view(b).substr(22, 11);
    head.headers = {{std::string_view(b).substr(34, 13), std::string_view(b).substr(48, 3)},
                    {std::string_view(b).substr(52, 6), std::string_view(b).substr(59, 9)}};
    head.has_content_length = true;
    head.content_length = 7;
    const std::string extra_name = "If-Modified-Since";
    const std::string extra_value = "Tue, 01 Jan 2019 00:00:00 GMT";
    OwnedRequestHead owned(head, {"if-none-match"}, {{extra_name, extra_value}});
    buffer->assign(buffer->size(), '#');  // the source bytes are gone
    const RequestHead& copy = owned.head();
    QCOMPARE(copy.method, std::string_view("GET"));
    QCOMPARE(copy.target, std::string_view("/a/b?x=1"));
    QCOMPARE(copy.path, std::string_view("/a/b"));
    QCOMPARE(copy.query, std::string_view("x=1"));
    QCOMPARE(copy.host, std::string_view("example.com"));
    QCOMPARE(copy.headers.size(), size_t{2});
    QCOMPARE(copy.headers[0].name, std::string_view("Accept"));
    QCOMPARE(copy.headers[0].value, std::string_view("text/html"));
    QCOMPARE(copy.headers[1].name, std::string_view("If-Modified-Since"));
    QCOMPARE(copy.headers[1].value, std::string_view(extra_value));
    QVERIFY(copy.has_content_length);
    QCOMPARE(copy.content_length, uint64_t{7});
  }
};

QTEST_GUILESS_MAIN(OwnedRequestHeadTest)
#include "owned_request_head_test.moc"
