// The console's client against the real node: `sluice serve` with its control socket in a temp dir
// (tests/support/NodeProcess), the real ControlClient gets hello and a stats event. Needs the node's
// control server (docs/control-protocol.md); skipped, saying so, when the node opens no socket.

#include <QFileInfo>
#include <QSignalSpy>
#include <QtTest>

#include "console/client/control_client.h"
#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/raw_http_client.h"

using namespace sluice::console;
using namespace sluice::test;

class RealNodeTest : public QObject {
  Q_OBJECT

 private slots:
  void helloAndAStatsEventFromARealNode() {
    NodeProcess node;
    const QString routes = QStringLiteral(
        "routes:\n"
        "  - { name: hello, match: { path_prefix: / }, respond: { status: 200, body: \"hi\" } }\n");
    QVERIFY2(node.start(nodeConfig(routes)), qPrintable(node.output()));
    const QString socket = node.tempPath() + QStringLiteral("/control.sock");
    if (!QTest::qWaitFor([&]() { return QFileInfo::exists(socket); }, 5000)) {
      QSKIP("the node opened no control socket: this build has no control server yet");
    }
    ControlClient client;
    QSignalSpy hellos(&client, &ControlConnection::helloReceived);
    QSignalSpy stats(&client, &ControlConnection::statsReceived);
    client.connectTo(socket);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), ControlConnection::State::Connected, 10000);
    QCOMPARE(hellos.count(), 1);
    const QJsonObject hello = client.helloInfo();
    QVERIFY2(!hello.value("version").toString().isEmpty(), qPrintable(QJsonDocument(hello).toJson()));
    QVERIFY(hello.value("config_version").isDouble());
    QCOMPARE(hello.value("pid").toInteger(), node.pid());

    const int port = node.port(QStringLiteral("plain"));
    QCOMPARE(RawHttpClient::exchange(port, buildRequest("GET", "/")).status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(stats.count() >= 1, 5000);
    const QJsonObject snapshot = stats.first().first().toJsonObject();
    QVERIFY(snapshot.value("time_unix_ms").toDouble() > 0);
    QVERIFY(snapshot.value("totals").isObject());

    // A real request and reply through the same client.
    ControlReply routes_reply;
    bool answered = false;
    client.request("routes.list", {}, this, [&](const ControlReply& reply) {
      routes_reply = reply;
      answered = true;
    });
    QTRY_VERIFY(answered);
    QVERIFY2(routes_reply.ok, qPrintable(routes_reply.describe()));
    QCOMPARE(routes_reply.result.value("routes").toArray().first().toObject().value("name").toString(),
             QString("hello"));
    QCOMPARE(node.stop(), 0);
  }
};

QTEST_MAIN(RealNodeTest)
#include "real_node_test.moc"
