// Route matching: first match wins; host exact and `*.suffix`; path_exact and path_prefix; no match
// answers 404; `respond:` routes answer their fixed body; `handler: status` answers JSON.

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/raw_http_client.h"

using namespace sluice::test;

class RoutingTest : public QObject {
  Q_OBJECT

 private:
  HttpResponse get(const QByteArray& target, const QByteArray& host = "localhost") {
    return RawHttpClient::exchange(port_, buildRequest("GET", target, {}, {}, host));
  }

  NodeProcess node_;
  int port_ = -1;

 private slots:
  void initTestCase() {
    const QString routes = QStringLiteral(
        "routes:\n"
        "  - name: status\n"
        "    match: { path_exact: /status }\n"
        "    handler: status\n"
        "  - name: exact\n"
        "    match: { path_exact: /exact }\n"
        "    respond: { status: 200, body: \"exact\\n\" }\n"
        "  - name: api\n"
        "    match: { host: api.example.com }\n"
        "    respond: { status: 200, body: \"api\\n\" }\n"
        "  - name: wild\n"
        "    match: { host: \"*.example.com\" }\n"
        "    respond: { status: 200, body: \"wild\\n\" }\n"
        "  - name: wild_prefix\n"
        "    match: { host: \"*.example.org\", path_prefix: /v1/ }\n"
        "    respond: { status: 200, body: \"org v1\\n\" }\n"
        "  - name: first\n"
        "    match: { path_prefix: /dup/ }\n"
        "    respond: { status: 200, body: \"first\\n\" }\n"
        "  - name: second\n"
        "    match: { path_prefix: /dup/ }\n"
        "    respond: { status: 200, body: \"second\\n\" }\n"
        "  - name: created\n"
        "    match: { path_prefix: /pre/ }\n"
        "    respond: { status: 201, content_type: application/json, body: \"{\\\"made\\\": true}\" }\n");
    QVERIFY2(node_.start(nodeConfig(routes)), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
    QVERIFY(port_ > 0);
  }

  void pathExact() {
    const HttpResponse hit = get("/exact");
    QCOMPARE(hit.status, 200);
    QCOMPARE(hit.body, QByteArray("exact\n"));
    QCOMPARE(hit.header("Content-Length"), QByteArray("6"));
    QCOMPARE(get("/exact?x=1").body, QByteArray("exact\n"));  // the query is not part of the path
    QCOMPARE(get("/exact/more").status, 404);
    QCOMPARE(get("/exactly").status, 404);
  }

  void hostExact() {
    QCOMPARE(get("/anything", "api.example.com").body, QByteArray("api\n"));
    QCOMPARE(get("/anything", "api.example.com:8080").body, QByteArray("api\n"));  // port ignored
    QCOMPARE(get("/anything", "API.Example.COM").body, QByteArray("api\n"));       // case-insensitive
  }

  void hostWildcard() {
    QCOMPARE(get("/", "www.example.com").body, QByteArray("wild\n"));
    QCOMPARE(get("/", "a.b.example.com").body, QByteArray("wild\n"));
    QCOMPARE(get("/", "example.com").status, 404);  // the bare domain is not a subdomain
    QCOMPARE(get("/", "badexample.com").status, 404);
  }

  void hostAndPathTogether() {
    QCOMPARE(get("/v1/users", "x.example.org").body, QByteArray("org v1\n"));
    QCOMPARE(get("/v2/users", "x.example.org").status, 404);
    QCOMPARE(get("/v1/users", "x.example.net").status, 404);
  }

  void firstMatchWins() {
    const HttpResponse response = get("/dup/x");
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("first\n"));
  }

  void respondStatusAndContentType() {
    const HttpResponse response = get("/pre/thing");
    QCOMPARE(response.status, 201);
    QCOMPARE(response.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(response.body, QByteArray("{\"made\": true}"));
  }

  void noMatchIs404() {
    const HttpResponse response = get("/nowhere");
    QCOMPARE(response.status, 404);
    QVERIFY(response.hasHeader("Content-Length") || response.chunked);
  }

  void statusHandlerAnswersJson() {
    const HttpResponse response = get("/status");
    QCOMPARE(response.status, 200);
    QVERIFY2(response.header("Content-Type").startsWith("application/json"), response.header("Content-Type"));
    QJsonParseError error;
    const QJsonDocument json = QJsonDocument::fromJson(response.body, &error);
    QVERIFY2(error.error == QJsonParseError::NoError && json.isObject(), response.body.constData());
  }
};

QTEST_GUILESS_MAIN(RoutingTest)
#include "routing_test.moc"
