// The node under systemd's Type=notify, without systemd: NOTIFY_SOCKET points at a datagram socket
// of the test's own (NotifySocket). READY=1 comes only once the listener accepts connections;
// RELOADING=1 (with MONOTONIC_USEC) then READY=1 around a SIGHUP reload, also a rejected one;
// STOPPING=1 on SIGTERM; WATCHDOG=1 pings at half of WATCHDOG_USEC, and none without it.

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QtTest>

#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/notify_socket.h"
#include "tests/support/raw_http_client.h"

using namespace sluice::test;

namespace {

// A plain blocking connect: true once the port is listening (the kernel completes the handshake
// from the listen backlog even before a worker accepts).
bool accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

QString helloConfig(const QString& body) {
  return nodeConfig(QStringLiteral("routes:\n"
                                   "  - name: hello\n"
                                   "    match: { path_prefix: / }\n"
                                   "    respond: { status: 200, body: \"%1\" }\n")
                        .arg(body));
}

QString statusOf(const QString& message) {
  for (const QString& line : notifyLines(message)) {
    if (line.startsWith(QLatin1String("STATUS="))) {
      return line.mid(7);
    }
  }
  return {};
}

}  // namespace

class ServiceNotifyTest : public QObject {
  Q_OBJECT

 private slots:
  void readyOnlyOnceTheListenerAccepts() {
    NotifySocket notify;
    QVERIFY(notify.isValid());
    const int port = unusedPort();
    QVERIFY(port > 0);
    NodeProcess node;
    node.setEnvironment(QStringLiteral("NOTIFY_SOCKET"), notify.path());
    QString config = helloConfig(QStringLiteral("v1"));
    config.replace(QStringLiteral("address: 127.0.0.1:0\n"), QStringLiteral("address: 127.0.0.1:%1\n").arg(port));
    QVERIFY(node.launch(config));
    const QString ready = notify.waitForLine(QStringLiteral("READY=1"), 10000);
    QVERIFY2(!ready.isNull(), qPrintable(node.output()));
    // Checked the moment READY=1 arrives: the port already takes connections.
    QVERIFY(accepts(port));
    QVERIFY2(statusOf(ready).contains(QLatin1String("config version 1")), qPrintable(ready));
    QVERIFY(node.waitReady());
    QCOMPARE(RawHttpClient::exchange(port, buildRequest("GET", "/")).body, QByteArray("v1"));
    // READY=1 once, nothing about stopping, and no watchdog pings (WATCHDOG_USEC is not set).
    const QStringList all = notify.messages();
    int readies = 0;
    for (const QString& m : all) {
      readies += notifyLines(m).contains(QStringLiteral("READY=1")) ? 1 : 0;
      QVERIFY2(!m.contains(QLatin1String("WATCHDOG=1")) && !m.contains(QLatin1String("STOPPING=1")), qPrintable(m));
    }
    QCOMPARE(readies, 1);
  }

  void reloadIsReloadingThenReady() {
    NotifySocket notify;
    NodeProcess node;
    node.setEnvironment(QStringLiteral("NOTIFY_SOCKET"), notify.path());
    QVERIFY2(node.start(helloConfig(QStringLiteral("v1"))), qPrintable(node.output()));
    QVERIFY(!notify.waitForLine(QStringLiteral("READY=1"), 5000).isNull());
    notify.clear();

    QVERIFY(node.writeConfig(helloConfig(QStringLiteral("v2"))));
    QVERIFY(node.sendSignal(SIGHUP));
    const QString reloading = notify.waitForLine(QStringLiteral("RELOADING=1"), 5000);
    QVERIFY2(!reloading.isNull(), qPrintable(node.output()));
    // MONOTONIC_USEC, as systemd >= 253 wants: a number of microseconds on CLOCK_MONOTONIC.
    const QStringList lines = notifyLines(reloading);
    const auto stamp = std::find_if(lines.begin(), lines.end(),
                                    [](const QString& l) { return l.startsWith(QLatin1String("MONOTONIC_USEC=")); });
    QVERIFY2(stamp != lines.end(), qPrintable(reloading));
    bool number = false;
    const qulonglong usec = stamp->mid(15).toULongLong(&number);
    QVERIFY(number && usec > 0);
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    QVERIFY(usec <= static_cast<qulonglong>(now.tv_sec) * 1000000ull + static_cast<qulonglong>(now.tv_nsec) / 1000);
    const QString ready = notify.waitForLine(QStringLiteral("READY=1"), 5000);
    QVERIFY2(!ready.isNull(), qPrintable(node.output()));
    QVERIFY2(statusOf(ready).contains(QLatin1String("config version 2")), qPrintable(ready));
    const QStringList order = notify.messages();
    QVERIFY(order.indexOf(reloading) < order.indexOf(ready));

    // A rejected file: still RELOADING=1 then READY=1 (the old config keeps serving), version 2.
    notify.clear();
    QVERIFY(node.writeConfig(helloConfig(QStringLiteral("v3")) + QStringLiteral("bogus_key: 1\n")));
    QVERIFY(node.sendSignal(SIGHUP));
    QVERIFY(!notify.waitForLine(QStringLiteral("RELOADING=1"), 5000).isNull());
    const QString kept = notify.waitForLine(QStringLiteral("READY=1"), 5000);
    QVERIFY2(!kept.isNull(), qPrintable(node.output()));
    QVERIFY2(statusOf(kept).contains(QLatin1String("config version 2")), qPrintable(kept));
    QCOMPARE(RawHttpClient::exchange(node.port(QStringLiteral("plain")), buildRequest("GET", "/")).body,
             QByteArray("v2"));
  }

  void sigtermIsStopping() {
    NotifySocket notify;
    NodeProcess node;
    node.setEnvironment(QStringLiteral("NOTIFY_SOCKET"), notify.path());
    QVERIFY2(node.start(helloConfig(QStringLiteral("v1"))), qPrintable(node.output()));
    QVERIFY(!notify.waitForLine(QStringLiteral("READY=1"), 5000).isNull());
    QVERIFY(node.sendSignal(SIGTERM));
    const QString stopping = notify.waitForLine(QStringLiteral("STOPPING=1"), 5000);
    QVERIFY2(!stopping.isNull(), qPrintable(node.output()));
    QCOMPARE(node.waitForExit(10000), 0);
  }

  void watchdogPingsAtHalfTheInterval() {
    NotifySocket notify;
    NodeProcess node;
    node.setEnvironment(QStringLiteral("NOTIFY_SOCKET"), notify.path());
    node.setEnvironment(QStringLiteral("WATCHDOG_USEC"), QStringLiteral("400000"));  // 400 ms
    QVERIFY2(node.start(helloConfig(QStringLiteral("v1"))), qPrintable(node.output()));
    QVERIFY(node.output().contains(QLatin1String("watchdog: pinging systemd every 200 ms")));
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 5; ++i) {
      QVERIFY2(!notify.waitForLine(QStringLiteral("WATCHDOG=1"), 2000).isNull(), qPrintable(node.output()));
    }
    // Five pings at 200 ms apart (the first at READY): well within the 400 ms watchdog each time.
    QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
  }

  void watchdogForAnotherProcessIsIgnored() {
    NotifySocket notify;
    NodeProcess node;
    node.setEnvironment(QStringLiteral("NOTIFY_SOCKET"), notify.path());
    node.setEnvironment(QStringLiteral("WATCHDOG_USEC"), QStringLiteral("400000"));
    node.setEnvironment(QStringLiteral("WATCHDOG_PID"), QString::number(::getpid()));  // not the node
    QVERIFY2(node.start(helloConfig(QStringLiteral("v1"))), qPrintable(node.output()));
    QVERIFY(!notify.waitForLine(QStringLiteral("READY=1"), 5000).isNull());
    QVERIFY(!node.output().contains(QLatin1String("watchdog:")));
    for (const QString& m : notify.messages()) {
      QVERIFY2(!m.contains(QLatin1String("WATCHDOG=1")), qPrintable(m));
    }
  }
};

QTEST_GUILESS_MAIN(ServiceNotifyTest)
#include "service_notify_test.moc"
