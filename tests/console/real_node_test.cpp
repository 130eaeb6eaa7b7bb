// The console against the real node: `sluice serve` with its control socket in a temp dir
// (tests/support/NodeProcess). The real ControlClient gets hello, a stats event and routes.list; and
// the Rate limits page, clicked like a user would, changes a limit that the node then enforces and
// writes to its config file.

#include <QFile>
#include <QFileInfo>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

#include "console/client/control_client.h"
#include "console/models/policy_table_model.h"
#include "console/widgets/policy_form.h"
#include "console/widgets/rate_limits_page.h"
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
    QVERIFY2(QTest::qWaitFor([&]() { return QFileInfo::exists(socket); }, 5000), qPrintable(node.output()));
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

  void theRateLimitsPageEditsTheRealNode() {
    NodeProcess node;
    const QString config = QStringLiteral(
        "routes:\n"
        "  - { name: hello, match: { path_prefix: / }, respond: { status: 200, body: \"hi\" }, rate_limits: [per_ip] }\n"
        "rate_limits:\n"
        "  - name: per_ip\n"
        "    algorithm: fixed_window\n"
        "    limit: 100\n"
        "    window: 1m\n");
    QVERIFY2(node.start(nodeConfig(config)), qPrintable(node.output()));
    ControlClient client;
    RateLimitsPage page(&client);
    page.resize(1280, 800);
    page.show();
    client.connectTo(node.tempPath() + QStringLiteral("/control.sock"));
    QTRY_COMPARE_WITH_TIMEOUT(page.model()->rowCount(), 1, 10000);
    QTRY_COMPARE(page.form()->name(), QString("per_ip"));
    const int before = page.baseVersion();
    QVERIFY(before >= 1);

    auto* limit = qobject_cast<QLineEdit*>(page.form()->editor("limit"));
    QVERIFY(limit != nullptr);
    limit->selectAll();
    QTest::keyClick(limit, Qt::Key_Backspace);
    QTest::keyClicks(limit, "1");
    QTest::mouseClick(page.applyButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(page.baseVersion(), before + 1, 10000);

    // The node enforces it (one request per minute: the second is refused) and wrote it back.
    const int port = node.port(QStringLiteral("plain"));
    const HttpResponse first = RawHttpClient::exchange(port, buildRequest("GET", "/"));
    QCOMPARE(first.header("RateLimit-Policy"), QByteArray("\"per_ip\";q=1;w=60"));
    QCOMPARE(RawHttpClient::exchange(port, buildRequest("GET", "/")).status, 429);
    QFile file(node.configPath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY2(text.contains("limit: 1\n"), text.constData());
    QCOMPARE(node.stop(), 0);
  }
};

QTEST_MAIN(RealNodeTest)
#include "real_node_test.moc"
