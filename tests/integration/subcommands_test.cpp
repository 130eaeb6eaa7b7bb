// `sluice version`, `sluice check`, `sluice serve` start-up failures and usage errors: the exit codes
// and messages that scripts and the installer rely on.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/support/node_config.h"
#include "tests/support/run_command.h"

using namespace sluice::test;

namespace {

// A valid config; line numbers below refer to this text (line 1 = "workers: 1").
const char* kValidConfig =
    "workers: 1\n"                     // 1
    "listeners:\n"                     // 2
    "  - name: plain\n"                // 3
    "    address: 127.0.0.1:0\n"       // 4
    "upstreams:\n"                     // 5
    "  - name: app\n"                  // 6
    "    servers: [127.0.0.1:9]\n"     // 7
    "    connect_timeout: 2s\n"        // 8
    "routes:\n"                        // 9
    "  - name: app\n"                  // 10
    "    match: { path_prefix: / }\n"  // 11
    "    upstream: app\n";             // 12

}  // namespace

class SubcommandsTest : public QObject {
  Q_OBJECT

 private:
  QString writeConfig(const QString& text) {
    const QString path = dir_.filePath(QStringLiteral("config-%1.yaml").arg(++files_));
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(text.toUtf8());
    return path;
  }

  QTemporaryDir dir_;
  int files_ = 0;

 private slots:
  void versionPrintsSemver() {
    const CommandResult result = runSluice({QStringLiteral("version")});
    QCOMPARE(result.exit_code, 0);
    static const QRegularExpression pattern(QStringLiteral(R"(^sluice \d+\.\d+\.\d+\n?$)"));
    QVERIFY2(pattern.match(result.out).hasMatch(), qPrintable(result.out));
  }

  void checkAcceptsValidConfig() {
    const QString path = writeConfig(QString::fromUtf8(kValidConfig));
    const CommandResult result = runSluice({QStringLiteral("check"), QStringLiteral("--config"), path});
    QVERIFY2(result.exit_code == 0, qPrintable(result.err));
    QVERIFY2(result.out.contains(path + QStringLiteral(": ok")), qPrintable(result.out));
  }

  void checkReportsUnknownKey() {
    const QString path =
        writeConfig(QString::fromUtf8(kValidConfig) + QStringLiteral("foo: 1\n"));  // line 13
    const CommandResult result = runSluice({QStringLiteral("check"), QStringLiteral("--config"), path});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.err.contains(path + QStringLiteral(":13: ")), qPrintable(result.err));
    QVERIFY2(result.err.contains(QStringLiteral("unknown key 'foo'")), qPrintable(result.err));
  }

  void checkReportsBadDuration() {
    QString text = QString::fromUtf8(kValidConfig);
    text.replace(QStringLiteral("connect_timeout: 2s"), QStringLiteral("connect_timeout: 2 fortnights"));
    const QString path = writeConfig(text);
    const CommandResult result = runSluice({QStringLiteral("check"), QStringLiteral("--config"), path});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.err.contains(path + QStringLiteral(":8: ")), qPrintable(result.err));
    QVERIFY2(result.err.contains(QStringLiteral("bad duration")), qPrintable(result.err));
  }

  void checkReportsUndefinedUpstream() {
    QString text = QString::fromUtf8(kValidConfig);
    text.replace(QStringLiteral("    upstream: app\n"), QStringLiteral("    upstream: x\n"));
    const QString path = writeConfig(text);
    const CommandResult result = runSluice({QStringLiteral("check"), QStringLiteral("--config"), path});
    QCOMPARE(result.exit_code, 1);
    // The route's `upstream:` line, or the start of the route entry.
    const QRegularExpression line(QRegularExpression::escape(path) +
                                  QStringLiteral(R"(:(10|12): .*upstream 'x' is not defined)"));
    QVERIFY2(line.match(result.err).hasMatch(), qPrintable(result.err));
  }

  void checkReportsEveryError() {
    QString text = QString::fromUtf8(kValidConfig);
    text.replace(QStringLiteral("connect_timeout: 2s"), QStringLiteral("connect_timeout: soon"));
    text += QStringLiteral("foo: 1\n");  // line 13
    const QString path = writeConfig(text);
    const CommandResult result = runSluice({QStringLiteral("check"), QStringLiteral("--config"), path});
    QCOMPARE(result.exit_code, 1);
    QVERIFY2(result.err.contains(path + QStringLiteral(":8: ")), qPrintable(result.err));
    QVERIFY2(result.err.contains(path + QStringLiteral(":13: ")), qPrintable(result.err));
    QVERIFY2(!result.out.contains(QStringLiteral(": ok")), qPrintable(result.out));
  }

  void serveFailsWhenPortInUse() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QVERIFY(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
    QVERIFY(::listen(fd, 1) == 0);
    socklen_t length = sizeof(addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
    const QString address = QStringLiteral("127.0.0.1:%1").arg(ntohs(addr.sin_port));

    QString text = QString::fromUtf8(kValidConfig);
    text.replace(QStringLiteral("address: 127.0.0.1:0"), QStringLiteral("address: ") + address);
    text += QStringLiteral("control:\n  socket: %1/control.sock\n").arg(dir_.path());
    const QString path = writeConfig(text);
    const CommandResult result =
        runSluice({QStringLiteral("serve"), QStringLiteral("--config"), path}, 10000);
    ::close(fd);
    QVERIFY2(result.finished, "sluice serve kept running although its port is taken");
    QCOMPARE(result.exit_code, 1);
    const QString output = result.out + result.err;
    QVERIFY2(output.contains(address), qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("address already in use"), Qt::CaseInsensitive),
             qPrintable(output));
  }

  void unknownSubcommandPrintsUsage() {
    const CommandResult result = runSluice({QStringLiteral("frobnicate")});
    QCOMPARE(result.exit_code, 2);
    QVERIFY2(result.err.contains(QStringLiteral("usage"), Qt::CaseInsensitive), qPrintable(result.err));
  }
};

QTEST_GUILESS_MAIN(SubcommandsTest)
#include "subcommands_test.moc"
