// The node's logs as a systemd service sees them: with JOURNAL_STREAM naming its stderr, every line
// is "<PRIORITY>message" (sd-daemon(3)) with no timestamp of ours; otherwise the usual timestamped
// lines. And SIGUSR1 reopens the access log file (log rotation: installer/sluice.logrotate).

#include <signal.h>
#include <sys/stat.h>

#include <QtTest>

#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

namespace {

QString helloConfig(const QString& extra = {}, const NodeConfigOptions& options = {}) {
  return nodeConfig(QStringLiteral("routes:\n"
                                   "  - name: hello\n"
                                   "    match: { path_prefix: / }\n"
                                   "    respond: { status: 200, body: \"hi\" }\n") +
                        extra,
                    options);
}

// "DEVICE:INODE" of `path`, as systemd puts it in JOURNAL_STREAM.
QString streamId(const QString& path) {
  struct stat st {};
  if (::stat(path.toLocal8Bit().constData(), &st) != 0) {
    return {};
  }
  return QStringLiteral("%1:%2").arg(static_cast<qulonglong>(st.st_dev)).arg(static_cast<qulonglong>(st.st_ino));
}

QStringList lines(const QString& text) { return text.split(QLatin1Char('\n'), Qt::SkipEmptyParts); }

int countLines(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    return -1;
  }
  return static_cast<int>(file.readAll().count('\n'));
}

}  // namespace

class JournalLogTest : public QObject {
  Q_OBJECT

 private slots:
  void priorityPrefixWhenStderrIsTheJournal() {
    NodeProcess node;
    // The node's stdout/stderr file (NodeProcess) exists before the start, so its inode is known;
    // QProcess truncates it in place.
    const QString log = node.tempPath() + QStringLiteral("/node.log");
    QFile file(log);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    node.setEnvironment(QStringLiteral("JOURNAL_STREAM"), streamId(log));
    QVERIFY2(node.start(helloConfig()), qPrintable(node.output()));
    QVERIFY(node.writeConfig(helloConfig(QStringLiteral("bogus_key: 1\n"))));
    QVERIFY(node.sendSignal(SIGHUP));
    QVERIFY2(node.waitForOutput(QStringLiteral("<3>reload rejected")), qPrintable(node.output()));
    QVERIFY(node.output().contains(QLatin1String("<6>ready: 1 workers")));
    static const QRegularExpression journal(QStringLiteral(R"(^<[34567]>\S)"));
    static const QRegularExpression stamp(QStringLiteral(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)"));
    for (const QString& line : lines(node.output())) {
      QVERIFY2(journal.match(line).hasMatch(), qPrintable(line));
      QVERIFY2(!stamp.match(line).hasMatch(), qPrintable(line));
    }
  }

  void timestampsWhenStderrIsNotTheJournal() {
    NodeProcess node;
    // A JOURNAL_STREAM that names another stream (e.g. inherited by a child whose stderr was
    // redirected): the node's own stderr decides.
    node.setEnvironment(QStringLiteral("JOURNAL_STREAM"), streamId(QStringLiteral("/dev/null")));
    QVERIFY2(node.start(helloConfig()), qPrintable(node.output()));
    static const QRegularExpression plain(QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (debug|info|warn|error) )"));
    const QStringList all = lines(node.output());
    QVERIFY(!all.isEmpty());
    for (const QString& line : all) {
      QVERIFY2(plain.match(line).hasMatch(), qPrintable(line));
    }
  }

  void sigusr1ReopensTheAccessLog() {
    NodeProcess node;
    QVERIFY2(node.start(helloConfig({}, {.access_log = QStringLiteral("${TMP}/access.log")})),
             qPrintable(node.output()));
    const QString path = node.tempPath() + QStringLiteral("/access.log");
    const int port = node.port(QStringLiteral("plain"));
    QCOMPARE(RawHttpClient::exchange(port, buildRequest("GET", "/first")).status, 200);
    QVERIFY(waitUntil([&] { return countLines(path) == 1; }, 5000));

    // What logrotate does: rename, then tell the node.
    const QString rotated = path + QStringLiteral(".1");
    QVERIFY(QFile::rename(path, rotated));
    QVERIFY(node.sendSignal(SIGUSR1));
    QVERIFY2(node.waitForOutput(QStringLiteral("SIGUSR1: reopening the access log")), qPrintable(node.output()));
    QCOMPARE(RawHttpClient::exchange(port, buildRequest("GET", "/second")).status, 200);
    QVERIFY2(waitUntil([&] { return countLines(path) == 1; }, 5000), qPrintable(node.output()));
    QFile fresh(path);
    QVERIFY(fresh.open(QIODevice::ReadOnly));
    QVERIFY(fresh.readAll().contains("/second"));
    QFile old(rotated);
    QVERIFY(old.open(QIODevice::ReadOnly));
    const QByteArray before = old.readAll();
    QVERIFY(before.contains("/first") && !before.contains("/second"));
    QCOMPARE(node.stop(), 0);
  }
};

QTEST_GUILESS_MAIN(JournalLogTest)
#include "journal_log_test.moc"
