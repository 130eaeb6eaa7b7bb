// A policy edit over the real control socket, end to end: the edit changes what clients get at once
// (a tighter rate limit answers 429 with the new RateLimit-Policy), the config file is rewritten with
// the rest of it (comments included) kept, a restart runs the edited file at the same version, a
// stale base version is a conflict that changes nothing, an invalid edit names the field and changes
// nothing, and a rollback brings the old limit back live and on disk.

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

#include "tests/support/control_client.h"
#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/raw_http_client.h"

using namespace sluice::test;

namespace {

const QString kComment = QStringLiteral("# hand-written note that an edit must keep\n");

QString config() {
  return kComment + nodeConfig(QStringLiteral("routes:\n"
                                              "  - name: hello\n"
                                              "    match: { path_exact: /hello }\n"
                                              "    respond: { status: 200, body: \"hi\" }\n"
                                              "    rate_limits: [per_ip]\n"
                                              "rate_limits:\n"
                                              "  - name: per_ip    # the public limit\n"
                                              "    algorithm: fixed_window\n"
                                              "    limit: 100\n"
                                              "    window: 1m\n"));
}

QByteArray readFile(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QJsonObject policy(int limit, const QString& window = QStringLiteral("1m")) {
  return QJsonObject{{QStringLiteral("name"), QStringLiteral("per_ip")},
                     {QStringLiteral("algorithm"), QStringLiteral("fixed_window")},
                     {QStringLiteral("limit"), limit},
                     {QStringLiteral("window"), window}};
}

}  // namespace

class ControlEditTest : public QObject {
  Q_OBJECT

 private:
  NodeProcess node_;
  ControlClient client_;

  bool attach() {
    client_.close();
    return client_.connect(node_.tempPath() + QStringLiteral("/control.sock"));
  }
  int version() {
    return client_.call(QStringLiteral("hello"))[QStringLiteral("result")][QStringLiteral("config_version")].toInt();
  }
  HttpResponse get() {
    return RawHttpClient::exchange(node_.port(QStringLiteral("plain")), buildRequest("GET", "/hello"));
  }
  QJsonObject set(int base_version, const QJsonObject& entry) {
    return client_.call(QStringLiteral("rate_limits.set"),
                        QJsonObject{{QStringLiteral("base_version"), base_version}, {QStringLiteral("policy"), entry}});
  }

 private slots:
  void initTestCase() {
    QVERIFY2(node_.start(config()), qPrintable(node_.output()));
    QVERIFY2(attach(), qPrintable(client_.lastError()));
  }

  void anEditChangesTrafficAndTheFile() {
    const int before = version();
    QVERIFY(before >= 1);
    const HttpResponse first = get();
    QCOMPARE(first.status, 200);
    QCOMPARE(first.header("RateLimit-Policy"), QByteArray("\"per_ip\";q=100;w=60"));

    const QJsonObject reply = set(before, policy(2));
    QVERIFY2(reply.contains(QStringLiteral("result")), QJsonDocument(reply).toJson().constData());
    const QJsonObject result = reply[QStringLiteral("result")].toObject();
    QCOMPARE(result[QStringLiteral("version")].toInt(), before + 1);
    QCOMPARE(result[QStringLiteral("created")].toBool(), false);
    QCOMPARE(result[QStringLiteral("persisted")].toBool(), true);
    QCOMPARE(version(), before + 1);

    // Live: the new limit is announced and enforced; the key's window (1 request so far) is kept.
    const HttpResponse second = get();
    QCOMPARE(second.status, 200);
    QCOMPARE(second.header("RateLimit-Policy"), QByteArray("\"per_ip\";q=2;w=60"));
    const HttpResponse third = get();
    QCOMPARE(third.status, 429);
    QVERIFY(!third.header("Retry-After").isEmpty());

    // On disk: the edited section holds the new limit; the comment above it all is kept.
    const QByteArray file = readFile(node_.configPath());
    QVERIFY2(file.startsWith(kComment.toUtf8()), file.constData());
    QVERIFY2(file.contains("limit: 2\n"), file.constData());
    QVERIFY2(!file.contains("limit: 100"), file.constData());
    QVERIFY2(file.contains("respond: { status: 200, body: \"hi\" }"), file.constData());
    QVERIFY(node_.waitForOutput(QStringLiteral("rate_limits.set per_ip: config version %1 -> %2")
                                    .arg(before)
                                    .arg(before + 1)));
  }

  void aStaleVersionIsAConflictAndChangesNothing() {
    const int now = version();
    const QByteArray file = readFile(node_.configPath());
    const QJsonObject reply = set(now - 1, policy(50));
    QCOMPARE(reply[QStringLiteral("error")][QStringLiteral("code")].toString(), QStringLiteral("conflict"));
    QCOMPARE(version(), now);
    QCOMPARE(readFile(node_.configPath()), file);
  }

  void anInvalidEditNamesTheFieldAndChangesNothing() {
    const int now = version();
    const QByteArray file = readFile(node_.configPath());
    const QJsonObject reply = set(now, policy(5, QStringLiteral("soon")));
    const QJsonObject error = reply[QStringLiteral("error")].toObject();
    QCOMPARE(error[QStringLiteral("code")].toString(), QStringLiteral("invalid"));
    QCOMPARE(error[QStringLiteral("field")].toString(), QStringLiteral("rate_limits[0].window"));
    QVERIFY2(error[QStringLiteral("message")].toString().contains(QStringLiteral("soon")),
             qPrintable(error[QStringLiteral("message")].toString()));
    QVERIFY(!error[QStringLiteral("errors")].toArray().isEmpty());
    QCOMPARE(version(), now);
    QCOMPARE(readFile(node_.configPath()), file);
    QCOMPARE(get().header("RateLimit-Policy"), QByteArray("\"per_ip\";q=2;w=60"));
  }

  void aRestartRunsTheEditedFileAtTheSameVersion() {
    const int now = version();
    const QByteArray file = readFile(node_.configPath());
    client_.close();
    QCOMPARE(node_.stop(), 0);
    QVERIFY2(node_.start(QString::fromUtf8(file)), qPrintable(node_.output()));
    QVERIFY2(attach(), qPrintable(client_.lastError()));
    QCOMPARE(version(), now);
    const QJsonArray policies =
        client_.call(QStringLiteral("rate_limits.list"))[QStringLiteral("result")][QStringLiteral("policies")].toArray();
    QCOMPARE(policies.size(), 1);
    QCOMPARE(policies[0][QStringLiteral("limit")].toInt(), 2);
    QCOMPARE(policies[0][QStringLiteral("routes")].toArray(), QJsonArray{QStringLiteral("hello")});
    QCOMPARE(get().header("RateLimit-Policy"), QByteArray("\"per_ip\";q=2;w=60"));
  }

  void aRollbackBringsTheOldLimitBack() {
    const int now = version();
    const QJsonArray versions =
        client_.call(QStringLiteral("config.history"))[QStringLiteral("result")][QStringLiteral("versions")].toArray();
    QVERIFY(versions.size() >= 2);
    QCOMPARE(versions[0][QStringLiteral("version")].toInt(), now);
    QCOMPARE(versions[0][QStringLiteral("what")].toString(), QStringLiteral("rate_limits.set per_ip"));
    QCOMPARE(versions[0][QStringLiteral("uid")].toInt(), static_cast<int>(::getuid()));
    const int original = versions[1][QStringLiteral("version")].toInt();

    const QJsonObject reply =
        client_.call(QStringLiteral("config.rollback"), QJsonObject{{QStringLiteral("base_version"), now},
                                                                    {QStringLiteral("version"), original}});
    QCOMPARE(reply[QStringLiteral("result")][QStringLiteral("version")].toInt(), now + 1);
    QCOMPARE(get().header("RateLimit-Policy"), QByteArray("\"per_ip\";q=100;w=60"));
    const QByteArray file = readFile(node_.configPath());
    QVERIFY2(file.contains("limit: 100\n"), file.constData());
    QVERIFY2(file.contains("# the public limit"), file.constData());  // the original text, comments and all
  }
};

QTEST_GUILESS_MAIN(ControlEditTest)
#include "control_edit_test.moc"
