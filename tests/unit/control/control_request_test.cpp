// Parsing control request lines and writing reply lines: what is refused, which id is echoed, and
// that the lines are one JSON object each, whatever the input.

#include "engine/control/control_request.h"

#include <QtTest>

#include "engine/control/control_reply.h"

using namespace sluice::control;
using nlohmann::json;

class ControlRequestTest : public QObject {
  Q_OBJECT

 private slots:
  void wellFormed() {
    const ControlRequest r = parseRequestLine(R"({"id": 7, "method": "stats.get", "params": {"a": 1}})");
    QVERIFY(r.ok);
    QCOMPARE(r.id, json(7));
    QCOMPARE(r.method, std::string("stats.get"));
    QCOMPARE(r.params, json({{"a", 1}}));
  }

  void paramsDefaultToAnEmptyObject() {
    for (const char* line : {R"({"id":"x","method":"hello"})", R"({"id":"x","method":"hello","params":null})"}) {
      const ControlRequest r = parseRequestLine(line);
      QVERIFY(r.ok);
      QCOMPARE(r.id, json("x"));
      QVERIFY(r.params.is_object() && r.params.empty());
    }
  }

  void refusedWithIdNull_data() {
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("not json") << QByteArray("{oops");
    QTest::newRow("trailing garbage") << QByteArray(R"({"id":1,"method":"hello"} x)");
    QTest::newRow("array") << QByteArray(R"([1, 2])");
    QTest::newRow("number") << QByteArray("42");
    QTest::newRow("no id") << QByteArray(R"({"method":"hello"})");
    QTest::newRow("object id") << QByteArray(R"({"id":{},"method":"hello"})");
    QTest::newRow("null id") << QByteArray(R"({"id":null,"method":"hello"})");
    QTest::newRow("bad utf-8") << QByteArray("{\"id\":1,\"method\":\"\xff\"}");
  }
  void refusedWithIdNull() {
    QFETCH(QByteArray, line);
    const ControlRequest r = parseRequestLine(std::string_view(line.constData(), static_cast<size_t>(line.size())));
    QVERIFY(!r.ok);
    QVERIFY(r.id.is_null());
    QVERIFY(!r.error.empty());
  }

  void refusedEchoingTheId_data() {
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("no method") << QByteArray(R"({"id":3})");
    QTest::newRow("method not a string") << QByteArray(R"({"id":3,"method":5})");
    QTest::newRow("params a list") << QByteArray(R"({"id":3,"method":"hello","params":[1]})");
  }
  void refusedEchoingTheId() {
    QFETCH(QByteArray, line);
    const ControlRequest r = parseRequestLine(line.toStdString());
    QVERIFY(!r.ok);
    QCOMPARE(r.id, json(3));
  }

  void replyLines() {
    QCOMPARE(resultLine(7, {{"a", 1}}), std::string("{\"id\":7,\"result\":{\"a\":1}}\n"));
    QCOMPARE(errorLine(nullptr, ControlError{"bad_request", "no"}),
             std::string("{\"id\":null,\"error\":{\"code\":\"bad_request\",\"message\":\"no\"}}\n"));
    ControlError invalid{"invalid", "bad", "rate_limits[0].window", json::array({{{"line", 3}}})};
    const json parsed = json::parse(errorLine("x", invalid));
    QCOMPARE(parsed["error"]["field"], json("rate_limits[0].window"));
    QCOMPARE(parsed["error"]["errors"][0]["line"], json(3));
    QCOMPARE(eventLine("stats", {{"n", 1}}), std::string("{\"event\":\"stats\",\"data\":{\"n\":1}}\n"));
  }

  // A string that is not UTF-8 (echoed from a client) is written with a replacement character.
  void invalidUtf8IsReplaced() {
    const std::string line = resultLine(1, {{"target", std::string("a\xff")}});
    const json parsed = json::parse(line, nullptr, false);
    QVERIFY(!parsed.is_discarded());
    QCOMPARE(parsed["result"]["target"].get<std::string>(), std::string("a\xEF\xBF\xBD"));
  }
};

QTEST_GUILESS_MAIN(ControlRequestTest)
#include "control_request_test.moc"
