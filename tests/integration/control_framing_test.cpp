// The control protocol's framing against a running node: malformed lines get bad_request and the
// connection stays; replies keep request order even when a method answers later (cache purges run
// on the store's thread), past the 64-outstanding limit; a line over 1 MiB is refused and closes
// that connection only.

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

#include "tests/support/control_client.h"
#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/raw_http_client.h"

using namespace sluice::test;

namespace {

QString errorCode(const QJsonObject& reply) {
  return reply.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
}
QByteArray show(const QJsonObject& object) {
  return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

}  // namespace

class ControlFramingTest : public QObject {
  Q_OBJECT

 private:
  NodeProcess node_;
  int port_ = -1;

  QString socketPath() const { return node_.tempPath() + QStringLiteral("/control.sock"); }

  // The reply to `line`, which must answer with an error; the connection must stay usable.
  QJsonObject errorFor(ControlClient& client, const QByteArray& line) {
    if (!client.sendLine(line)) {
      return {};
    }
    std::optional<QJsonObject> reply = client.readJson();
    return reply ? *reply : QJsonObject{};
  }

 private slots:
  void initTestCase() {
    // A cache route, so that cache.purge answers later, from the store's writer thread.
    const QString sections = QStringLiteral(
                                 "upstreams:\n  - { name: o, servers: [%1] }\n"
                                 "routes:\n"
                                 "  - { name: fixed, match: { path_prefix: /f }, respond: { body: f } }\n"
                                 "  - { name: app, match: { path_prefix: / }, upstream: o, cache: p }\n"
                                 "cache_policies:\n  - { name: p }\n"
                                 "cache: { path: \"${TMP}/cache\", max_size: 16MiB }\n")
                                 .arg(unusedAddress());
    QVERIFY2(node_.start(nodeConfig(sections)), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
  }

  void malformedLinesKeepTheConnection_data() {
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QJsonValue>("id");
    QTest::newRow("not json") << QByteArray("{\"id\":1,") << QStringLiteral("bad_request") << QJsonValue();
    QTest::newRow("not an object") << QByteArray("[\"hello\"]") << QStringLiteral("bad_request") << QJsonValue();
    QTest::newRow("no id") << QByteArray(R"({"method":"hello"})") << QStringLiteral("bad_request") << QJsonValue();
    QTest::newRow("no method") << QByteArray(R"({"id":5})") << QStringLiteral("bad_request") << QJsonValue(5);
    QTest::newRow("method not a string") << QByteArray(R"({"id":"m","method":[]})") << QStringLiteral("bad_request")
                                         << QJsonValue(QStringLiteral("m"));
    QTest::newRow("params not an object") << QByteArray(R"({"id":6,"method":"hello","params":3})")
                                          << QStringLiteral("bad_request") << QJsonValue(6);
    QTest::newRow("unknown method") << QByteArray(R"({"id":7,"method":"frobnicate"})") << QStringLiteral("not_found")
                                    << QJsonValue(7);
    QTest::newRow("wrong param type") << QByteArray(R"({"id":8,"method":"stats.history","params":{"seconds":true}})")
                                      << QStringLiteral("bad_request") << QJsonValue(8);
  }
  void malformedLinesKeepTheConnection() {
    QFETCH(QByteArray, line);
    QFETCH(QString, code);
    QFETCH(QJsonValue, id);
    ControlClient client;
    QVERIFY(client.connect(socketPath()));
    const QJsonObject reply = errorFor(client, line);
    QCOMPARE(errorCode(reply), code);
    QVERIFY2(!reply.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().isEmpty(),
             show(reply));
    QCOMPARE(reply.value(QStringLiteral("id")), id.isUndefined() ? QJsonValue(QJsonValue::Null) : id);
    // Still attached.
    QVERIFY(client.call(QStringLiteral("hello")).contains(QStringLiteral("result")));
  }

  void blankLinesAreIgnored() {
    ControlClient client;
    QVERIFY(client.connect(socketPath()));
    QVERIFY(client.sendRaw("\n\r\n  \n"));
    const QJsonObject reply = client.call(QStringLiteral("hello"));
    QVERIFY2(reply.value(QStringLiteral("id")).toInt() == 1 && reply.contains(QStringLiteral("result")), show(reply));
  }

  // Purges answer from another thread, hello at once: the replies still come in request order,
  // also past the 64 requests a client may have outstanding (the node stops reading meanwhile).
  void repliesKeepRequestOrder() {
    ControlClient client;
    QVERIFY(client.connect(socketPath()));
    QByteArray batch;
    const int count = 300;
    for (int id = 1; id <= count; ++id) {
      if (id % 3 == 0) {
        batch += QStringLiteral(R"({"id":%1,"method":"hello"})").arg(id).toUtf8() + '\n';
      } else if (id % 7 == 0) {
        batch += QStringLiteral(R"({"id":%1,"method":"nope"})").arg(id).toUtf8() + '\n';
      } else {
        batch += QStringLiteral(R"({"id":%1,"method":"cache.purge","params":{"tag":"t%1"}})").arg(id).toUtf8() + '\n';
      }
    }
    QVERIFY(client.sendRaw(batch));
    for (int id = 1; id <= count; ++id) {
      std::optional<QJsonObject> reply = client.readJson(10000);
      QVERIFY2(reply, qPrintable(QStringLiteral("reply %1: %2").arg(id).arg(client.lastError())));
      QCOMPARE(reply->value(QStringLiteral("id")).toInt(), id);
      if (id % 3 == 0) {
        QVERIFY(reply->contains(QStringLiteral("result")));
      } else if (id % 7 == 0) {
        QCOMPARE(errorCode(*reply), QStringLiteral("not_found"));
      } else {
        QCOMPARE(reply->value(QStringLiteral("result")).toObject().value(QStringLiteral("purged")).toInt(-1), 0);
      }
    }
  }

  // 10 MB without a newline: one bad_request (id null), then the node closes this connection and
  // goes on serving other clients and HTTP.
  void overlongLineClosesTheConnection() {
    ControlClient client;
    QVERIFY(client.connect(socketPath()));
    const QByteArray huge = "{\"id\":1,\"method\":\"hello\",\"params\":{\"x\":\"" + QByteArray(10 * 1000 * 1000, 'a');
    client.sendRaw(huge, 10000);  // fails part-way once the node has closed: that is expected
    std::optional<QJsonObject> reply = client.readJson(5000);
    QVERIFY2(reply, qPrintable(client.lastError()));
    QCOMPARE(errorCode(*reply), QStringLiteral("bad_request"));
    QVERIFY(reply->value(QStringLiteral("id")).isNull());
    QVERIFY2(reply->value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().contains(
                 QStringLiteral("1 MiB")),
             show(*reply));
    QVERIFY(client.isClosedByPeer(5000));

    ControlClient other;
    QVERIFY(other.connect(socketPath()));
    QVERIFY(other.call(QStringLiteral("hello")).contains(QStringLiteral("result")));
    QCOMPARE(RawHttpClient::exchange(port_, buildRequest("GET", "/f")).status, 200);
  }

  // A line just under the limit is read whole (and then refused as not a request, not as too long).
  void lineJustUnderTheLimitIsParsed() {
    ControlClient client;
    QVERIFY(client.connect(socketPath()));
    QByteArray line = "{\"id\":2,\"method\":\"hello\",\"params\":{\"pad\":\"";
    line += QByteArray((1 << 20) - line.size() - 3, 'p');
    line += "\"}}";
    QCOMPARE(line.size(), 1 << 20);
    QVERIFY(client.sendLine(line, 10000));
    std::optional<QJsonObject> reply = client.readJson(5000);
    QVERIFY2(reply, qPrintable(client.lastError()));
    QVERIFY2(reply->value(QStringLiteral("id")).toInt() == 2 && reply->contains(QStringLiteral("result")), show(*reply));
  }
};

QTEST_GUILESS_MAIN(ControlFramingTest)
#include "control_framing_test.moc"
