// Draining upstream servers (`upstreams.drain` over the control socket, through `sluice ctl`): a
// drained server gets no new requests (round_robin and least_conn), its idle keep-alive connections
// close, every server drained answers 503, undrain serves again; the snapshot and /metrics say so;
// a SIGHUP reload keeps the drain.

#include <signal.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

#include "tests/support/ctl_command.h"
#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/origin_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

class UpstreamDrainTest : public QObject {
  Q_OBJECT

 private:
  QString sections() const {
    return QStringLiteral(
               "upstreams:\n"
               "  - name: rr\n"
               "    servers: [%1, %2]\n"
               "    balance: round_robin\n"
               "    keepalive: 8\n"
               "  - name: lc\n"
               "    servers: [%1, %2]\n"
               "    balance: least_conn\n"
               "routes:\n"
               "  - { name: rr, match: { path_prefix: /rr/ }, upstream: rr }\n"
               "  - { name: lc, match: { path_prefix: /lc/ }, upstream: lc }\n")
        .arg(a_.address(), b_.address());
  }

  HttpResponse get(const QByteArray& target) {
    return RawHttpClient::exchange(node_.port(QStringLiteral("plain")), buildRequest("GET", target));
  }

  // Sends `count` requests; the statuses seen, e.g. {200: 10}.
  QMap<int, int> send(const QByteArray& target, int count) {
    QMap<int, int> statuses;
    for (int i = 0; i < count; ++i) {
      ++statuses[get(target).status];
    }
    return statuses;
  }

  CommandResult ctl(const QStringList& args) { return runCtl(node_, args); }

  void drain(const QString& upstream, const OriginProcess& origin, bool drained) {
    const CommandResult r =
        ctl({QStringLiteral("upstreams"), drained ? QStringLiteral("drain") : QStringLiteral("undrain"),
             upstream, origin.address()});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err + r.out));
  }

  // The server's `drained` flag in the newest stats snapshot.
  bool snapshotDrained(const QString& upstream, const OriginProcess& origin) {
    const CommandResult r = ctl({QStringLiteral("--json"), QStringLiteral("stats")});
    const QString name = upstream + QLatin1Char('/') + origin.address();
    for (const QJsonValue& u : jsonOut(r).object().value(QStringLiteral("upstreams")).toArray()) {
      if (u.toObject().value(QStringLiteral("name")).toString() == name) {
        return u.toObject().value(QStringLiteral("drained")).toBool();
      }
    }
    return false;
  }

  OriginProcess a_;
  OriginProcess b_;
  NodeProcess node_;

 private slots:
  void initTestCase() {
    QVERIFY(a_.start(QStringLiteral("A")));
    QVERIFY(b_.start(QStringLiteral("B")));
    NodeConfigOptions options;
    options.workers = 2;
    QVERIFY2(node_.start(nodeConfig(sections(), options)), qPrintable(node_.output()));
  }

  void cleanup() {
    // Every test starts with both servers serving.
    for (const char* upstream : {"rr", "lc"}) {
      ctl({QStringLiteral("upstreams"), QStringLiteral("undrain"), QLatin1String(upstream), a_.address()});
      ctl({QStringLiteral("upstreams"), QStringLiteral("undrain"), QLatin1String(upstream), b_.address()});
    }
  }

  void drainedServerGetsNoRequests_data() {
    QTest::addColumn<QString>("upstream");
    QTest::newRow("round_robin") << QStringLiteral("rr");
    QTest::newRow("least_conn") << QStringLiteral("lc");
  }

  void drainedServerGetsNoRequests() {
    QFETCH(QString, upstream);
    const QByteArray target = "/" + upstream.toUtf8() + "/x";
    const qint64 a0 = a_.requests(), b0 = b_.requests();
    QCOMPARE(send(target, 10), (QMap<int, int>{{200, 10}}));
    QVERIFY(a_.requests() > a0);
    QVERIFY(b_.requests() > b0);

    drain(upstream, a_, true);
    const qint64 a1 = a_.requests(), b1 = b_.requests();
    QCOMPARE(send(target, 20), (QMap<int, int>{{200, 20}}));
    QCOMPARE(a_.requests(), a1);
    QCOMPARE(b_.requests(), b1 + 20);

    // The other upstream with the same servers is not drained.
    const QByteArray other = upstream == QLatin1String("rr") ? "/lc/x" : "/rr/x";
    QCOMPARE(send(other, 10), (QMap<int, int>{{200, 10}}));
    QVERIFY(a_.requests() > a1);
  }

  void everyServerDrainedAnswers503ThenUndrainServes() {
    drain(QStringLiteral("rr"), a_, true);
    drain(QStringLiteral("rr"), b_, true);
    const qint64 a0 = a_.requests(), b0 = b_.requests();
    const HttpResponse r = get("/rr/x");
    QCOMPARE(r.status, 503);
    QCOMPARE(send("/rr/x", 5), (QMap<int, int>{{503, 5}}));
    QCOMPARE(a_.requests(), a0);
    QCOMPARE(b_.requests(), b0);

    drain(QStringLiteral("rr"), a_, false);
    QCOMPARE(send("/rr/x", 6), (QMap<int, int>{{200, 6}}));
    QCOMPARE(a_.requests(), a0 + 6);
    QCOMPARE(b_.requests(), b0);
  }

  void idleConnectionsToADrainedServerClose() {
    // Keep-alive connections from the workers' pools to A, then drain A in both upstreams: they
    // close within about a second (the node's stats tick tells the workers), with no request needed.
    QCOMPARE(send("/rr/x", 20), (QMap<int, int>{{200, 20}}));
    QCOMPARE(send("/lc/x", 20), (QMap<int, int>{{200, 20}}));
    const auto open = [this] { return a_.stats().value(QStringLiteral("active_connections")).toInt(); };
    QVERIFY2(open() > 1, "no keep-alive connection to A");  // > 1: the /stats probe is one
    drain(QStringLiteral("rr"), a_, true);
    drain(QStringLiteral("lc"), a_, true);
    QVERIFY2(waitUntil([&] { return open() == 1; }, 5000), qPrintable(QString::number(open())));
  }

  void statsAndMetricsShowTheDrain() {
    // The snapshot is taken once a second: the previous test's undrain shows by the next one.
    QVERIFY(waitUntil([&] { return !snapshotDrained(QStringLiteral("rr"), a_); }, 5000));
    drain(QStringLiteral("rr"), a_, true);
    QVERIFY(waitUntil([&] { return snapshotDrained(QStringLiteral("rr"), a_); }, 5000));
    QVERIFY(!snapshotDrained(QStringLiteral("rr"), b_));
    QVERIFY(!snapshotDrained(QStringLiteral("lc"), a_));
    const HttpResponse metrics = RawHttpClient::exchange(node_.adminPort(), buildRequest("GET", "/metrics"));
    QCOMPARE(metrics.status, 200);
    const QByteArray line =
        "sluice_upstream_server_drained{upstream=\"rr\",server=\"" + a_.address().toUtf8() + "\"} 1";
    QVERIFY2(metrics.body.contains(line), metrics.body.constData());
    const QByteArray undrained =
        "sluice_upstream_server_drained{upstream=\"rr\",server=\"" + b_.address().toUtf8() + "\"} 0";
    QVERIFY(metrics.body.contains(undrained));
    // upstreams.list agrees.
    const CommandResult list = ctl({QStringLiteral("--json"), QStringLiteral("upstreams")});
    QCOMPARE(list.exit_code, 0);
    bool found = false;
    for (const QJsonValue& u : jsonOut(list).object().value(QStringLiteral("upstreams")).toArray()) {
      if (u.toObject().value(QStringLiteral("name")).toString() != QLatin1String("rr")) {
        continue;
      }
      for (const QJsonValue& s : u.toObject().value(QStringLiteral("servers")).toArray()) {
        const QJsonObject o = s.toObject();
        if (o.value(QStringLiteral("address")).toString() == a_.address()) {
          found = true;
          QVERIFY(o.value(QStringLiteral("drained")).toBool());
        }
      }
    }
    QVERIFY(found);
  }

  void drainSurvivesAReload() {
    drain(QStringLiteral("rr"), a_, true);
    // A changed upstream (keepalive) builds new pools on reload: they read the drain by name.
    QString changed = sections();
    changed.replace(QStringLiteral("keepalive: 8"), QStringLiteral("keepalive: 9"));
    NodeConfigOptions options;
    options.workers = 2;
    QVERIFY(node_.writeConfig(nodeConfig(changed, options)));
    QVERIFY(node_.sendSignal(SIGHUP));
    QVERIFY(node_.waitForOutput(QStringLiteral("config reloaded"), 5000));
    const qint64 a0 = a_.requests();
    QCOMPARE(send("/rr/x", 10), (QMap<int, int>{{200, 10}}));
    QCOMPARE(a_.requests(), a0);
    // The stats snapshot is rebuilt once a second: the reloaded pools show up in a later one.
    QVERIFY(waitUntil([&] { return snapshotDrained(QStringLiteral("rr"), a_); }, 5000));
  }

  void unknownUpstreamOrServerIsNotFound() {
    CommandResult r =
        ctl({QStringLiteral("upstreams"), QStringLiteral("drain"), QStringLiteral("nope"), a_.address()});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("not_found")), qPrintable(r.err));
    r = ctl({QStringLiteral("upstreams"), QStringLiteral("drain"), QStringLiteral("rr"),
             QStringLiteral("127.0.0.1:1")});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("not_found")), qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(UpstreamDrainTest)
#include "upstream_drain_test.moc"
