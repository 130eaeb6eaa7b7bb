// Config versions of the real node: numbered from the history in its data dir at start-up, moved by
// a SIGHUP reload of a changed file (kept when the file is unchanged or invalid), and kept across a
// restart with the same file.

#include <signal.h>

#include <QDir>
#include <QFile>
#include <QtTest>

#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/raw_http_client.h"

using namespace sluice::test;

namespace {

QString config(const QString& body) {
  return nodeConfig(QStringLiteral("routes:\n"
                                   "  - name: hello\n"
                                   "    match: { path_exact: /hello }\n"
                                   "    respond: { status: 200, body: \"%1\" }\n"
                                   "rate_limits:\n"
                                   "  - name: per_ip\n"
                                   "    limit: 100\n"
                                   "    window: 1m\n")
                        .arg(body));
}

QByteArray readFile(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class ConfigVersionsTest : public QObject {
  Q_OBJECT

 private:
  static QString history(const NodeProcess& node) {
    return node.dataPath() + QStringLiteral("/config-history");
  }
  static QStringList stored(const NodeProcess& node) {
    return QDir(history(node)).entryList(QDir::Files | QDir::Hidden, QDir::Name);
  }
  static QByteArray hello(const NodeProcess& node) {
    return RawHttpClient::exchange(node.port(QStringLiteral("plain")), buildRequest("GET", "/hello")).body;
  }

 private slots:
  void versionsFollowTheFile() {
    NodeProcess node;
    QVERIFY2(node.start(config(QStringLiteral("one"))), qPrintable(node.output()));
    QVERIFY2(node.output().contains(QStringLiteral("config version 1")), qPrintable(node.output()));
    QCOMPARE(stored(node), QStringList{QStringLiteral("v1.yaml")});
    const QByteArray v1 = readFile(history(node) + QStringLiteral("/v1.yaml"));
    QVERIFY2(v1.startsWith("# sluice config v1 20"), v1.constData());
    QVERIFY2(v1.contains(" uid=- start-up\n"), v1.constData());
    QCOMPARE(v1.mid(v1.indexOf('\n') + 1), readFile(node.configPath()));

    // The same file again: the same version.
    QVERIFY(node.sendSignal(SIGHUP));
    QVERIFY2(node.waitForOutput(QStringLiteral("config reloaded: version 1 (the file is unchanged)")),
             qPrintable(node.output()));
    QCOMPARE(stored(node), QStringList{QStringLiteral("v1.yaml")});

    // A changed file: a new version, stored, and running.
    QVERIFY(node.writeConfig(config(QStringLiteral("two"))));
    QVERIFY(node.sendSignal(SIGHUP));
    QVERIFY2(node.waitForOutput(QStringLiteral("config reloaded: version 2")), qPrintable(node.output()));
    QCOMPARE(hello(node), QByteArray("two"));
    QCOMPARE(stored(node), (QStringList{QStringLiteral("v1.yaml"), QStringLiteral("v2.yaml")}));
    const QByteArray v2 = readFile(history(node) + QStringLiteral("/v2.yaml"));
    QVERIFY2(v2.contains(" uid=- SIGHUP\n"), v2.constData());
    QCOMPARE(v2.mid(v2.indexOf('\n') + 1), readFile(node.configPath()));

    // An invalid file: nothing moves.
    QVERIFY(node.writeConfig(config(QStringLiteral("three")) + QStringLiteral("bogus_key: 1\n")));
    QVERIFY(node.sendSignal(SIGHUP));
    QVERIFY2(node.waitForOutput(QStringLiteral("reload rejected: keeping config version 2")),
             qPrintable(node.output()));
    QCOMPARE(hello(node), QByteArray("two"));
    QCOMPARE(stored(node).size(), 2);

    // A restart with the file of version 2 runs version 2; another file is version 3.
    QVERIFY(node.writeConfig(config(QStringLiteral("two"))));
    QCOMPARE(node.stop(), 0);
    QVERIFY2(node.start(config(QStringLiteral("two"))), qPrintable(node.output()));
    QVERIFY2(node.output().contains(QStringLiteral("config version 2")), qPrintable(node.output()));
    QCOMPARE(node.stop(), 0);
    QVERIFY2(node.start(config(QStringLiteral("four"))), qPrintable(node.output()));
    QVERIFY2(node.output().contains(QStringLiteral("config version 3")), qPrintable(node.output()));
    QCOMPARE(hello(node), QByteArray("four"));
    QCOMPARE(stored(node).size(), 3);
  }

  void anUnwritableHistoryStillRuns() {
    NodeProcess node;
    // The data dir is a file: the history cannot be stored, the version is kept in memory.
    QVERIFY(QDir().mkpath(node.tempPath()));
    QFile blocker(node.dataPath());
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    QVERIFY2(node.start(config(QStringLiteral("one"))), qPrintable(node.output()));
    QVERIFY2(node.output().contains(QStringLiteral("config history: cannot create")),
             qPrintable(node.output()));
    QVERIFY2(node.output().contains(QStringLiteral("config version 1")), qPrintable(node.output()));
    QCOMPARE(hello(node), QByteArray("one"));
  }
};

QTEST_GUILESS_MAIN(ConfigVersionsTest)
#include "config_versions_test.moc"
