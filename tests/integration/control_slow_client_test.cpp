// A control client that stops reading must not hold anyone up: its unsent replies and events grow
// until its send queue passes 16 MiB, then the node logs and drops it, while another subscribed
// client keeps getting one snapshot a second and HTTP is served throughout.

#include <QDeadlineTimer>
#include <QJsonObject>
#include <QtTest>

#include "tests/support/control_client.h"
#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/raw_http_client.h"

using namespace sluice::test;

class ControlSlowClientTest : public QObject {
  Q_OBJECT

 private:
  NodeProcess node_;
  int port_ = -1;

  QString socketPath() const { return node_.tempPath() + QStringLiteral("/control.sock"); }

 private slots:
  void initTestCase() {
    QString routes = QStringLiteral("routes:\n");
    // Some routes, so that each snapshot (and a history of them) is a few KiB.
    for (int i = 0; i < 8; ++i) {
      routes += QStringLiteral("  - { name: r%1, match: { path_prefix: /r%1 }, respond: { body: ok } }\n").arg(i);
    }
    QVERIFY2(node_.start(nodeConfig(routes)), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
  }

  void nonReadingSubscriberIsDropped() {
    ControlClient watcher;
    QVERIFY(watcher.connect(socketPath()));
    QVERIFY(watcher.call(QStringLiteral("stats.subscribe")).contains(QStringLiteral("result")));

    ControlClient slow;
    QVERIFY(slow.connect(socketPath()));
    QVERIFY(slow.call(QStringLiteral("stats.subscribe")).contains(QStringLiteral("result")));
    // Let a few snapshots pile up in the history, so that each reply below is big.
    QVERIFY(watcher.nextEvent(3000));
    QVERIFY(watcher.nextEvent(3000));

    // Ask for the whole history again and again and never read: replies and events queue up at
    // the node until the client is dropped. Send in batches so that a dropped client is noticed.
    QByteArray batch;
    for (int i = 0; i < 100; ++i) {
      batch += R"({"id":1,"method":"stats.history"})" "\n";
    }
    const QDeadlineTimer deadline(60000);
    bool dropped = false;
    int batches = 0;
    while (!deadline.hasExpired()) {
      if (!slow.sendRaw(batch, 2000)) {
        dropped = true;  // EPIPE / reset: the node closed it
        break;
      }
      ++batches;
      // Meanwhile the other subscriber is served, and so is HTTP.
      if (batches % 20 == 0) {
        QCOMPARE(RawHttpClient::exchange(port_, buildRequest("GET", "/r1")).status, 200);
      }
      if (node_.output().contains(QStringLiteral("send queue over 16 MiB"))) {
        dropped = true;
        break;
      }
    }
    QVERIFY2(dropped, qPrintable(QStringLiteral("after %1 batches").arg(batches)));
    QVERIFY(node_.waitForOutput(QStringLiteral("control: dropping client uid=%1 pid=%2: send queue over 16 MiB "
                                               "(the client is not reading)")
                                    .arg(::getuid())
                                    .arg(QCoreApplication::applicationPid())));

    // The watcher still gets one snapshot a second (it may have a backlog from the busy seconds:
    // skip to fresh ones).
    while (watcher.keptEvents() > 0) {
      watcher.nextEvent(0);
    }
    std::optional<QJsonObject> previous;
    int fresh = 0;
    const QDeadlineTimer window(8000);
    while (fresh < 3 && !window.hasExpired()) {
      std::optional<QJsonObject> event = watcher.nextEvent(3000);
      QVERIFY2(event, qPrintable(watcher.lastError()));
      const double t = event->value(QStringLiteral("data")).toObject().value(QStringLiteral("time_unix_ms")).toDouble();
      if (previous) {
        const double before =
            previous->value(QStringLiteral("data")).toObject().value(QStringLiteral("time_unix_ms")).toDouble();
        QVERIFY(t > before);
        if (t - before > 800 && t - before < 1500) {
          ++fresh;
        }
      }
      previous = event;
    }
    QVERIFY2(fresh >= 3, qPrintable(QString::number(fresh)));
    QCOMPARE(RawHttpClient::exchange(port_, buildRequest("GET", "/r2")).status, 200);
    QVERIFY(watcher.call(QStringLiteral("hello")).contains(QStringLiteral("result")));
  }
};

QTEST_GUILESS_MAIN(ControlSlowClientTest)
#include "control_slow_client_test.moc"
