// Binary upgrade (SIGUSR2): the node starts its own executable again with every listening socket,
// the new node serves on the very same sockets (same ports, same control socket file, same admin
// port), tells the old one it is ready, and the old one drains: its in-flight requests finish and
// it exits 0, and systemd hears MAINPID= for the new process. A new node that cannot start leaves
// the old one serving.
//
// The test process is a child subreaper, so the new node (orphaned when the old one exits) becomes
// its child and is reaped here.

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QRegularExpression>
#include <QtTest>

#include "tests/support/control_client.h"
#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/notify_socket.h"
#include "tests/support/origin_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

namespace {

// Stops a successor node (SIGTERM) and reaps it; true when it exited 0.
bool stopSuccessor(pid_t pid) {
  if (pid <= 0 || ::kill(pid, SIGTERM) != 0) {
    return false;
  }
  int status = 0;
  const bool gone = waitUntil([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, 15000, 20);
  if (!gone) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return false;
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

class BinaryUpgradeTest : public QObject {
  Q_OBJECT

 private:
  QString config(const QString& hello_body) {
    return nodeConfig(QStringLiteral("upstreams:\n"
                                     "  - name: app\n"
                                     "    servers: [%1]\n"
                                     "routes:\n"
                                     "  - name: hello\n"
                                     "    match: { path_exact: /hello }\n"
                                     "    respond: { status: 200, body: \"%2\" }\n"
                                     "  - name: app\n"
                                     "    match: { path_prefix: / }\n"
                                     "    upstream: app\n")
                          .arg(origin_.address(), hello_body),
                      {.workers = 2});
  }

  // The new node's pid from the old node's log line, 0 until it is there.
  static pid_t successorPid(const NodeProcess& node) {
    static const QRegularExpression line(QStringLiteral("binary upgrade: node (\\d+) serves"));
    const QRegularExpressionMatch m = line.match(node.output());
    return m.hasMatch() ? static_cast<pid_t>(m.captured(1).toLongLong()) : 0;
  }

  OriginProcess origin_;

 private slots:
  void initTestCase() {
    QVERIFY(::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
    QVERIFY(origin_.start(QStringLiteral("o1")));
  }

  void newNodeTakesOverTheSockets() {
    NotifySocket notify;
    QVERIFY(notify.isValid());
    NodeProcess node;
    node.setEnvironment(QStringLiteral("NOTIFY_SOCKET"), notify.path());
    QVERIFY2(node.start(config(QStringLiteral("v1"))), qPrintable(node.output()));
    QVERIFY(!notify.waitForLine(QStringLiteral("READY=1"), 5000).isNull());
    const int port = node.port(QStringLiteral("plain"));
    const int admin = node.adminPort();
    const QString socket = node.tempPath() + QStringLiteral("/control.sock");

    // In flight across the upgrade: a slow proxied request, and an idle keep-alive connection.
    RawHttpClient slow;
    const qint64 before = origin_.requests();
    QVERIFY(slow.connect(port));
    QVERIFY(slow.send(buildRequest("GET", "/delay/1500")));
    QVERIFY(waitUntil([&] { return origin_.requests() > before; }, 3000));
    RawHttpClient idle;
    QVERIFY(idle.connect(port));
    QVERIFY(idle.send(buildRequest("GET", "/hello")));
    QCOMPARE(idle.readResponse().status, 200);

    // The new binary reads the config file again: v2 tells the two nodes apart.
    QVERIFY(node.writeConfig(config(QStringLiteral("v2"))));
    notify.clear();
    QVERIFY(node.sendSignal(SIGUSR2));
    QVERIFY2(waitUntil([&] { return successorPid(node) != 0; }, 10000), qPrintable(node.output()));
    const pid_t successor = successorPid(node);
    QVERIFY(successor != node.pid());

    // The idle connection's next request, sent during the drain, is answered (and the connection
    // then closed) rather than reset.
    QVERIFY(idle.send(buildRequest("GET", "/hello")));
    const HttpResponse last = idle.readResponse();
    QVERIFY2(last.status == 200, qPrintable(last.describe()));
    QCOMPARE(last.header("Connection").toLower(), QByteArray("close"));
    QVERIFY(idle.isClosedByPeer(3000));

    const HttpResponse in_flight = slow.readResponse(5000);
    QVERIFY2(in_flight.status == 200, qPrintable(in_flight.describe()));
    QCOMPARE(in_flight.body, QByteArray("delayed 1500 ms\n"));
    QCOMPARE(node.waitForExit(10000), 0);

    // The same port, admin port and control socket file, served by the new node.
    QCOMPARE(RawHttpClient::exchange(port, buildRequest("GET", "/hello")).body, QByteArray("v2"));
    const HttpResponse health = RawHttpClient::exchange(admin, buildRequest("GET", "/healthz"));
    QCOMPARE(health.status, 200);
    ControlClient control;
    QVERIFY2(control.connect(socket), qPrintable(control.lastError()));
    const QJsonObject hello = control.call(QStringLiteral("hello"));
    QCOMPARE(hello[QStringLiteral("result")][QStringLiteral("pid")].toInteger(), qint64{successor});
    control.close();

    // systemd hears the new main process from the old one (NotifyAccess=main accepts only that).
    const QString handover = notify.waitForLine(QStringLiteral("MAINPID=%1").arg(successor), 5000);
    QVERIFY2(!handover.isNull(), qPrintable(notify.messages().join(QStringLiteral(" | "))));
    QVERIFY(handover.contains(QStringLiteral("READY=1")));
    QVERIFY(stopSuccessor(successor));
    QVERIFY(!QFileInfo::exists(socket));  // the last node removes the socket file
  }

  void failedUpgradeKeepsTheOldNode() {
    NodeProcess node;
    QVERIFY2(node.start(config(QStringLiteral("v1"))), qPrintable(node.output()));
    const int port = node.port(QStringLiteral("plain"));
    // The new process reads a broken file and exits before it is ready.
    QVERIFY(node.writeConfig(config(QStringLiteral("v2")) + QStringLiteral("bogus_key: 1\n")));
    QVERIFY(node.sendSignal(SIGUSR2));
    QVERIFY2(node.waitForOutput(QStringLiteral("binary upgrade failed"), 10000), qPrintable(node.output()));
    QVERIFY(node.output().contains(QStringLiteral("keeps serving")));
    QVERIFY(node.output().contains(QStringLiteral("unknown key 'bogus_key'")));
    QVERIFY(node.isRunning());
    QCOMPARE(RawHttpClient::exchange(port, buildRequest("GET", "/hello")).body, QByteArray("v1"));
    ControlClient control;
    QVERIFY(control.connect(node.tempPath() + QStringLiteral("/control.sock")));
    QCOMPARE(control.call(QStringLiteral("hello"))[QStringLiteral("result")][QStringLiteral("pid")].toInteger(),
             node.pid());
    control.close();

    // Fixed, the next attempt succeeds.
    QVERIFY(node.writeConfig(config(QStringLiteral("v3"))));
    QVERIFY(node.sendSignal(SIGUSR2));
    QVERIFY2(waitUntil([&] { return successorPid(node) != 0; }, 10000), qPrintable(node.output()));
    QCOMPARE(node.waitForExit(10000), 0);
    QCOMPARE(RawHttpClient::exchange(port, buildRequest("GET", "/hello")).body, QByteArray("v3"));
    QVERIFY(stopSuccessor(successorPid(node)));
  }
};

QTEST_GUILESS_MAIN(BinaryUpgradeTest)
#include "binary_upgrade_test.moc"
