// `sluice ctl` against a real node: every command in its human and --json forms, and the exit codes
// scripts rely on (0 ok, 1 an error reply, 2 usage, 3 no node).

#include <signal.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtTest>

#include "tests/support/ctl_command.h"
#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/origin_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

namespace {

QString sections(const OriginProcess& origin) {
  return QStringLiteral(
             "upstreams:\n"
             "  - name: app\n"
             "    servers: [%1]\n"
             "routes:\n"
             "  - name: cached\n"
             "    match: { path_prefix: /cache/ }\n"
             "    upstream: app\n"
             "    cache: short\n"
             "  - name: app\n"
             "    match: { path_prefix: / }\n"
             "    upstream: app\n"
             "    rate_limits: [per_ip]\n"
             "rate_limits:\n"
             "  - name: per_ip\n"
             "    algorithm: token_bucket\n"
             "    key: client_ip\n"
             "    limit: 1000\n"
             "    window: 1m\n"
             "cache_policies:\n"
             "  - name: short\n"
             "    default_ttl: 60s\n"
             "    max_ttl: 1h\n"
             "cache:\n"
             "  path: ${TMP}/cache\n"
             "  max_size: 64MiB\n")
      .arg(origin.address());
}

QJsonObject findByName(const QJsonArray& list, const QString& name) {
  for (const QJsonValue& v : list) {
    if (v.toObject().value(QStringLiteral("name")).toString() == name) {
      return v.toObject();
    }
  }
  return {};
}

}  // namespace

class CtlTest : public QObject {
  Q_OBJECT

 private:
  CommandResult ctl(const QStringList& args) { return runCtl(node_, args); }

  QJsonObject ctlJson(const QStringList& args) {
    const CommandResult r = ctl(QStringList{QStringLiteral("--json")} + args);
    [&] { QVERIFY2(r.exit_code == 0, qPrintable(r.err + r.out)); }();
    return jsonOut(r).object();
  }

  qint64 configVersion() {
    return ctlJson({QStringLiteral("hello")}).value(QStringLiteral("config_version")).toInteger();
  }

  OriginProcess origin_;
  NodeProcess node_;

 private slots:
  void initTestCase() {
    QVERIFY(origin_.start(QStringLiteral("ctl")));
    QVERIFY2(node_.start(nodeConfig(sections(origin_))), qPrintable(node_.output()));
    // Some traffic, so the stats have something to show.
    const int port = node_.port(QStringLiteral("plain"));
    for (int i = 0; i < 5; ++i) {
      QCOMPARE(RawHttpClient::exchange(port, buildRequest("GET", "/x")).status, 200);
      QCOMPARE(RawHttpClient::exchange(port, buildRequest("GET", "/cache/a?cc=max-age%3D60")).status, 200);
    }
  }

  // ---- exit codes without a node ----

  void noSocketExitsThree() {
    const CommandResult r = runSluice({QStringLiteral("ctl"), QStringLiteral("--socket"),
                                       QStringLiteral("/nonexistent/sluice.sock"), QStringLiteral("hello")});
    QCOMPARE(r.exit_code, 3);
    QVERIFY2(r.err.contains(QStringLiteral("/nonexistent/sluice.sock")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("No such file or directory")), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
  }

  void socketFromTheEnvironment() {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SLUICE_SOCKET"), controlSocketOf(node_));
    p.setProcessEnvironment(env);
    p.start(QString::fromLocal8Bit(qgetenv("SLUICE_BIN")),
            {QStringLiteral("ctl"), QStringLiteral("--json"), QStringLiteral("hello")});
    QVERIFY(p.waitForFinished(15000));
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(
        QJsonDocument::fromJson(p.readAllStandardOutput()).object().value(QStringLiteral("pid")).toInteger(),
        node_.pid());
  }

  void usageErrorsExitTwo_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no command") << QStringList{} << QStringLiteral("usage: sluice ctl");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")}
                                     << QStringLiteral("unknown command");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("stats"), QStringLiteral("--bogus")}
                                    << QStringLiteral("unknown option '--bogus'");
    QTest::newRow("purge without what")
        << QStringList{QStringLiteral("cache"), QStringLiteral("purge")} << QStringLiteral("exactly one of");
    QTest::newRow("purge with two") << QStringList{QStringLiteral("cache"), QStringLiteral("purge"),
                                                   QStringLiteral("--all"), QStringLiteral("--tag"),
                                                   QStringLiteral("t")}
                                    << QStringLiteral("exactly one of");
    QTest::newRow("set without keys")
        << QStringList{QStringLiteral("rate-limits"), QStringLiteral("set"), QStringLiteral("x")}
        << QStringLiteral("nothing to set");
    QTest::newRow("set bad word") << QStringList{QStringLiteral("rate-limits"), QStringLiteral("set"),
                                                 QStringLiteral("x"), QStringLiteral("limit")}
                                  << QStringLiteral("is not key=value");
    QTest::newRow("drain one word") << QStringList{QStringLiteral("upstreams"), QStringLiteral("drain"),
                                                   QStringLiteral("app")}
                                    << QStringLiteral("UPSTREAM and SERVER");
    QTest::newRow("rollback no version") << QStringList{QStringLiteral("config"), QStringLiteral("rollback")}
                                         << QStringLiteral("which VERSION");
    QTest::newRow("bad timeout") << QStringList{QStringLiteral("--timeout"), QStringLiteral("x"),
                                                QStringLiteral("hello")}
                                 << QStringLiteral("--timeout needs a number");
    QTest::newRow("interval without watch")
        << QStringList{QStringLiteral("stats"), QStringLiteral("--interval"), QStringLiteral("2")}
        << QStringLiteral("need --watch");
  }

  void usageErrorsExitTwo() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    // No node behind this socket: usage errors are found before connecting.
    const CommandResult r = runSluice(QStringList{QStringLiteral("ctl"), QStringLiteral("--socket"),
                                                  QStringLiteral("/nonexistent/sluice.sock")} +
                                      args);
    QCOMPARE(r.exit_code, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
  }

  void help() {
    CommandResult r = runSluice({QStringLiteral("ctl"), QStringLiteral("--help")});
    QCOMPARE(r.exit_code, 0);
    for (const char* word : {"hello", "stats", "config", "rate-limits", "cache-policies", "routes",
                             "upstreams", "cache purge", "--socket", "--json", "--timeout"}) {
      QVERIFY2(r.out.contains(QLatin1String(word)), word);
    }
    r = runSluice({QStringLiteral("ctl"), QStringLiteral("stats"), QStringLiteral("--help")});
    QCOMPARE(r.exit_code, 0);
    QVERIFY(r.out.contains(QStringLiteral("--watch")));
    r = runSluice({QStringLiteral("ctl"), QStringLiteral("rate-limits"), QStringLiteral("set"),
                   QStringLiteral("--help")});
    QCOMPARE(r.exit_code, 0);
    QVERIFY(r.out.contains(QStringLiteral("key=value")));
    r = runSluice({QStringLiteral("--help")});
    QVERIFY(r.out.contains(QStringLiteral("ctl COMMAND")));
  }

  // ---- read-only commands ----

  void hello() {
    const CommandResult r = ctl({QStringLiteral("hello")});
    QCOMPARE(r.exit_code, 0);
    QVERIFY2(r.out.contains(QStringLiteral("config version")), qPrintable(r.out));
    QVERIFY(r.out.contains(QString::number(node_.pid())));
    const QJsonObject j = ctlJson({QStringLiteral("hello")});
    QCOMPARE(j.value(QStringLiteral("pid")).toInteger(), node_.pid());
    QCOMPARE(j.value(QStringLiteral("config_source")).toString(), node_.configPath());
    QVERIFY(j.value(QStringLiteral("config_version")).toInteger() >= 1);
  }

  void stats() {
    // The first snapshot is taken a second after start; wait until it counted our requests.
    QVERIFY(waitUntil(
        [&] {
          const QJsonObject s = ctlJson({QStringLiteral("stats")});
          return s.value(QStringLiteral("totals"))
                     .toObject()
                     .value(QStringLiteral("requests_total"))
                     .toInteger() >= 10;
        },
        10000, 200));
    const CommandResult r = ctl({QStringLiteral("stats")});
    QCOMPARE(r.exit_code, 0);
    for (const char* word : {"req/s", "/min", "p50", "p95", "p99", "errors", "cache hits", "ROUTE",
                             "UPSTREAM/SERVER", "RATE LIMIT", "CACHE POLICY", "cached", "per_ip", "short"}) {
      QVERIFY2(r.out.contains(QLatin1String(word)),
               qPrintable(QStringLiteral("%1 missing in\n%2").arg(word, r.out)));
    }
    QVERIFY(r.out.contains(QStringLiteral("app/") + origin_.address()));
  }

  void statsWatchIntoAPipe() {
    // Not a terminal: one line per snapshot, no escape sequences.
    const CommandResult r = ctl(
        {QStringLiteral("stats"), QStringLiteral("--watch"), QStringLiteral("--count"), QStringLiteral("2")});
    QCOMPARE(r.exit_code, 0);
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    for (const QString& line : lines) {
      QVERIFY2(line.contains(QStringLiteral("req/s")), qPrintable(line));
      QVERIFY(!line.contains(QLatin1Char('\x1b')));
    }
    const CommandResult j = ctl({QStringLiteral("--json"), QStringLiteral("stats"), QStringLiteral("--watch"),
                                 QStringLiteral("--count"), QStringLiteral("2")});
    QCOMPARE(j.exit_code, 0);
    const QStringList json_lines = j.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(json_lines.size(), 2);
    for (const QString& line : json_lines) {
      QVERIFY(QJsonDocument::fromJson(line.toUtf8()).object().contains(QStringLiteral("totals")));
    }
  }

  void statsWatchStopsOnSigint() {
    QProcess p;
    p.start(QString::fromLocal8Bit(qgetenv("SLUICE_BIN")),
            {QStringLiteral("ctl"), QStringLiteral("--socket"), controlSocketOf(node_),
             QStringLiteral("stats"), QStringLiteral("--watch")});
    QVERIFY(p.waitForStarted());
    QVERIFY(waitUntil([&] { return p.bytesAvailable() > 0 || p.waitForReadyRead(100); }, 5000));
    ::kill(static_cast<pid_t>(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(5000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
  }

  void statsHistory() {
    const CommandResult r = ctl({QStringLiteral("stats"), QStringLiteral("history"),
                                 QStringLiteral("--seconds"), QStringLiteral("3")});
    QCOMPARE(r.exit_code, 0);
    QVERIFY2(r.out.startsWith(QStringLiteral("TIME")), qPrintable(r.out));
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY(lines.size() >= 2 && lines.size() <= 4);
    const QJsonObject j = ctlJson({QStringLiteral("stats"), QStringLiteral("history"),
                                   QStringLiteral("--seconds"), QStringLiteral("2")});
    const QJsonArray snapshots = j.value(QStringLiteral("snapshots")).toArray();
    QVERIFY(snapshots.size() >= 1 && snapshots.size() <= 2);
  }

  void configGet() {
    QFile file(node_.configPath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    CommandResult r = ctl({QStringLiteral("config"), QStringLiteral("get"), QStringLiteral("--yaml")});
    QCOMPARE(r.exit_code, 0);
    QCOMPARE(r.out, text.endsWith(QLatin1Char('\n')) ? text : text + QLatin1Char('\n'));
    r = ctl({QStringLiteral("config"), QStringLiteral("get")});
    QCOMPARE(r.exit_code, 0);
    QVERIFY2(r.out.startsWith(QStringLiteral("# config version ")), qPrintable(r.out));
    QVERIFY(r.out.contains(node_.configPath()));
    const QJsonObject j = ctlJson({QStringLiteral("config"), QStringLiteral("get")});
    QCOMPARE(j.value(QStringLiteral("yaml")).toString(), text);
    QCOMPARE(
        j.value(QStringLiteral("config")).toObject().value(QStringLiteral("rate_limits")).toArray().size(),
        1);
  }

  void routes() {
    const CommandResult r = ctl({QStringLiteral("routes")});
    QCOMPARE(r.exit_code, 0);
    QVERIFY2(r.out.contains(
                 QRegularExpression(QStringLiteral("cached\\s+\\*\\s+/cache/\\*\\s+proxy\\s+app\\s+short"))),
             qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("per_ip")));
    const QJsonArray routes = ctlJson({QStringLiteral("routes")}).value(QStringLiteral("routes")).toArray();
    QCOMPARE(routes.size(), 2);
    QCOMPARE(routes[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("cached"));
  }

  void upstreams() {
    CommandResult r = ctl({QStringLiteral("upstreams")});
    QCOMPARE(r.exit_code, 0);
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("app\\s+round_robin\\s+") +
                                               QRegularExpression::escape(origin_.address()) +
                                               QStringLiteral("\\s+up\\s+unchecked\\s+closed\\s"))),
             qPrintable(r.out));
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("STATE\\s+HEALTH\\s+BREAKER"))), qPrintable(r.out));
    r = ctl({QStringLiteral("upstreams"), QStringLiteral("drain"), QStringLiteral("app"), origin_.address()});
    QCOMPARE(r.exit_code, 0);
    QVERIFY(r.out.contains(QStringLiteral("drained")));
    r = ctl({QStringLiteral("upstreams")});
    QVERIFY2(r.out.contains(QRegularExpression(QRegularExpression::escape(origin_.address()) +
                                               QStringLiteral("\\s+drained"))),
             qPrintable(r.out));
    const QJsonObject j = ctlJson(
        {QStringLiteral("upstreams"), QStringLiteral("undrain"), QStringLiteral("app"), origin_.address()});
    QCOMPARE(j, (QJsonObject{{QStringLiteral("drained"), false}}));
    // An error reply: exit 1, the message on stderr; with --json the error object on stdout.
    r = ctl(
        {QStringLiteral("upstreams"), QStringLiteral("drain"), QStringLiteral("nope"), origin_.address()});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(r.err.startsWith(QStringLiteral("sluice ctl: not_found: ")), qPrintable(r.err));
    r = ctl({QStringLiteral("--json"), QStringLiteral("upstreams"), QStringLiteral("drain"),
             QStringLiteral("nope"), origin_.address()});
    QCOMPARE(r.exit_code, 1);
    QCOMPARE(jsonOut(r).object().value(QStringLiteral("code")).toString(), QStringLiteral("not_found"));
  }

  void cachePurge() {
    CommandResult r = ctl({QStringLiteral("cache"), QStringLiteral("purge"), QStringLiteral("--prefix"),
                           QStringLiteral("http://localhost/cache/")});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("^purged \\d+ entr"))), qPrintable(r.out));
    const QJsonObject j =
        ctlJson({QStringLiteral("cache"), QStringLiteral("purge"), QStringLiteral("--all")});
    QVERIFY(j.value(QStringLiteral("purged")).isDouble());
    r = ctl({QStringLiteral("cache"), QStringLiteral("purge"), QStringLiteral("--url"),
             QStringLiteral("http://localhost/cache/none")});
    QCOMPARE(r.exit_code, 0);
    QVERIFY(r.out.contains(QStringLiteral("purged 0 entries")));
  }

  // ---- edits ----

  void rateLimits() {
    CommandResult r = ctl({QStringLiteral("rate-limits")});
    QCOMPARE(r.exit_code, 0);
    QVERIFY2(r.out.contains(
                 QRegularExpression(QStringLiteral("per_ip\\s+token_bucket\\s+client_ip\\s+1000\\s+1m"))),
             qPrintable(r.out));
    const qint64 v0 = configVersion();
    r = ctl({QStringLiteral("rate-limits"), QStringLiteral("set"), QStringLiteral("burst_only"),
             QStringLiteral("algorithm=fixed_window"), QStringLiteral("limit=5"),
             QStringLiteral("window=1s")});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("rate limit burst_only created: config version %1").arg(v0 + 1)),
             qPrintable(r.out));
    const QJsonObject policy = findByName(ctlJson({QStringLiteral("rate-limits"), QStringLiteral("list")})
                                              .value(QStringLiteral("policies"))
                                              .toArray(),
                                          QStringLiteral("burst_only"));
    QCOMPARE(policy.value(QStringLiteral("limit")).toInteger(), 5);  // a number, not "5"
    QCOMPARE(policy.value(QStringLiteral("window")).toString(), QStringLiteral("1s"));
    // Replacing it: --json gives the raw result.
    const QJsonObject set =
        ctlJson({QStringLiteral("rate-limits"), QStringLiteral("set"), QStringLiteral("burst_only"),
                 QStringLiteral("limit=6"), QStringLiteral("window=2s")});
    QCOMPARE(set.value(QStringLiteral("created")).toBool(true), false);
    QCOMPARE(set.value(QStringLiteral("version")).toInteger(), v0 + 2);
    // update changes only the keys given: the algorithm set first stays (set dropped it: replaced whole).
    r = ctl({QStringLiteral("rate-limits"), QStringLiteral("update"), QStringLiteral("burst_only"),
             QStringLiteral("algorithm=sliding_window")});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    r = ctl({QStringLiteral("rate-limits"), QStringLiteral("update"), QStringLiteral("burst_only"),
             QStringLiteral("limit=9")});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const QJsonObject updated = findByName(ctlJson({QStringLiteral("rate-limits"), QStringLiteral("list")})
                                               .value(QStringLiteral("policies"))
                                               .toArray(),
                                           QStringLiteral("burst_only"));
    QCOMPARE(updated.value(QStringLiteral("limit")).toInteger(), 9);
    QCOMPARE(updated.value(QStringLiteral("window")).toString(), QStringLiteral("2s"));
    QCOMPARE(updated.value(QStringLiteral("algorithm")).toString(), QStringLiteral("sliding_window"));
    r = ctl({QStringLiteral("rate-limits"), QStringLiteral("update"), QStringLiteral("no_such"),
             QStringLiteral("limit=1")});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(r.err.contains(QStringLiteral("no rate limit named 'no_such'")), qPrintable(r.err));
    // The file holds the edit.
    QFile file(node_.configPath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("burst_only"));
  }

  void rateLimitFromAFile() {
    const QString path = node_.tempPath() + QStringLiteral("/policy.yaml");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("- name: from_file\n  algorithm: sliding_window\n  limit: 50\n  window: 10s\n");
    file.close();
    const CommandResult r = ctl({QStringLiteral("rate-limits"), QStringLiteral("set"),
                                 QStringLiteral("--file"), path, QStringLiteral("limit=60")});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const QJsonObject policy =
        findByName(ctlJson({QStringLiteral("rate-limits")}).value(QStringLiteral("policies")).toArray(),
                   QStringLiteral("from_file"));
    QCOMPARE(policy.value(QStringLiteral("limit")).toInteger(), 60);
    QCOMPARE(policy.value(QStringLiteral("algorithm")).toString(), QStringLiteral("sliding_window"));
  }

  void invalidEditExitsOneWithTheField() {
    const qint64 v0 = configVersion();
    const CommandResult r =
        ctl({QStringLiteral("rate-limits"), QStringLiteral("set"), QStringLiteral("per_ip"),
             QStringLiteral("limit=10"), QStringLiteral("window=x")});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(r.err.contains(
                 QRegularExpression(QStringLiteral("^sluice ctl: invalid: rate_limits\\[0\\]\\.window: "))),
             qPrintable(r.err));
    QCOMPARE(configVersion(), v0);
  }

  void staleBaseVersionIsAConflict() {
    const qint64 v0 = configVersion();
    const CommandResult r =
        ctl({QStringLiteral("rate-limits"), QStringLiteral("set"), QStringLiteral("per_ip"),
             QStringLiteral("limit=10"), QStringLiteral("--base-version"), QString::number(v0 - 1)});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(r.err.startsWith(QStringLiteral("sluice ctl: conflict: ")), qPrintable(r.err));
    QVERIFY(r.err.contains(QStringLiteral("config get")));
    QCOMPARE(configVersion(), v0);
  }

  void deletes() {
    CommandResult r = ctl({QStringLiteral("rate-limits"), QStringLiteral("delete"), QStringLiteral("nope")});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(r.err.startsWith(QStringLiteral("sluice ctl: not_found: ")), qPrintable(r.err));
    // per_ip is used by route `app`.
    r = ctl({QStringLiteral("rate-limits"), QStringLiteral("delete"), QStringLiteral("per_ip")});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(r.err.startsWith(QStringLiteral("sluice ctl: invalid: routes[1].rate_limits[0]")),
             qPrintable(r.err));
    r = ctl({QStringLiteral("rate-limits"), QStringLiteral("delete"), QStringLiteral("burst_only")});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("rate limit burst_only deleted")));
    QVERIFY(findByName(ctlJson({QStringLiteral("rate-limits")}).value(QStringLiteral("policies")).toArray(),
                       QStringLiteral("burst_only"))
                .isEmpty());
  }

  void cachePolicies() {
    CommandResult r = ctl({QStringLiteral("cache-policies")});
    QCOMPARE(r.exit_code, 0);
    QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("short\\s+60s\\s+1h\\s+cached"))),
             qPrintable(r.out));
    r = ctl({QStringLiteral("cache-policies"), QStringLiteral("set"), QStringLiteral("long"),
             QStringLiteral("default_ttl=10m"), QStringLiteral("max_ttl=1d")});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("cache policy long created")));
    const QJsonObject policy =
        findByName(ctlJson({QStringLiteral("cache-policies")}).value(QStringLiteral("policies")).toArray(),
                   QStringLiteral("long"));
    QCOMPARE(policy.value(QStringLiteral("default_ttl")).toString(), QStringLiteral("10m"));
    r = ctl({QStringLiteral("cache-policies"), QStringLiteral("delete"), QStringLiteral("long")});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    r = ctl({QStringLiteral("cache-policies"), QStringLiteral("delete"), QStringLiteral("long")});
    QCOMPARE(r.exit_code, 1);
  }

  void configHistoryAndRollback() {
    CommandResult r = ctl({QStringLiteral("config"), QStringLiteral("history")});
    QCOMPARE(r.exit_code, 0);
    QVERIFY2(r.out.startsWith(QStringLiteral("VERSION")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("rate_limits.set")));
    const QJsonArray versions = ctlJson({QStringLiteral("config"), QStringLiteral("history")})
                                    .value(QStringLiteral("versions"))
                                    .toArray();
    QVERIFY(versions.size() >= 2);
    const qint64 oldest = versions.last().toObject().value(QStringLiteral("version")).toInteger();
    const qint64 v0 = configVersion();
    r = ctl({QStringLiteral("config"), QStringLiteral("rollback"), QString::number(oldest)});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(
                 QStringLiteral("config version %1 runs the text of version %2").arg(v0 + 1).arg(oldest)),
             qPrintable(r.out));
    // Back to the start: the policies added since are gone.
    QVERIFY(findByName(ctlJson({QStringLiteral("rate-limits")}).value(QStringLiteral("policies")).toArray(),
                       QStringLiteral("from_file"))
                .isEmpty());
    r = ctl({QStringLiteral("config"), QStringLiteral("rollback"), QStringLiteral("999999")});
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(r.err.startsWith(QStringLiteral("sluice ctl: not_found: ")), qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(CtlTest)
#include "ctl_test.moc"
