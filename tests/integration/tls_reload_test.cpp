// Certificate rotation without dropping connections: a SIGHUP with a new certificate serves it to new
// connections while a connection opened before keeps working on the old one; a key that does not
// match its certificate is refused with FILE:LINE (by `sluice check` and by the reload, which keeps
// the old certificate); a listener can start serving TLS on reload.

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

#include "tests/support/node_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/run_command.h"
#include "tests/support/test_certificates.h"
#include "tests/support/tls_client.h"

using namespace sluice::test;

namespace {

// Line 4 is `tls:`, line 5 the certificate.
QString config(const TestCertificate& cert, const std::string& key_path) {
  return QString::fromStdString(
      "listeners:\n"
      "  - name: public\n"
      "    address: 127.0.0.1:0\n"
      "    tls:\n"
      "      certificates: [{ cert: " +
      cert.cert_path + ", key: " + key_path +
      " }]\n"
      "routes:\n"
      "  - name: hello\n"
      "    match: { path_prefix: / }\n"
      "    respond: { status: 200, body: hi }\n"
      "control:\n"
      "  socket: ${TMP}/control.sock\n");
}

}  // namespace

class TlsReloadTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  TestCertificate old_;
  TestCertificate new_;

  QString write(const QString& name, const QString& text) {
    const QString path = dir_.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0) {
      return {};
    }
    return path;
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    old_ = writeSelfSigned(dir_.path().toStdString(), "old", "old.example", {"site.example"});
    new_ = writeSelfSigned(dir_.path().toStdString(), "new", "new.example", {"site.example"}, KeyType::Rsa);
  }

  void checkRefusesAMismatchedKey() {
    const QString bad = write("bad.yaml", config(old_, new_.key_path));
    const CommandResult result = runSluice({"check", "--config", bad});
    QCOMPARE(result.exit_code, 1);
    const QString expected = bad + ":5: listener 'public': key file '" +
                             QString::fromStdString(new_.key_path) + "' does not match certificate file '" +
                             QString::fromStdString(old_.cert_path) + "'";
    QVERIFY2(result.err.contains(expected), qPrintable(result.err));
  }

  void newCertificateForNewConnectionsOldConnectionKeepsWorking() {
    NodeProcess node;
    QVERIFY2(node.start(config(old_, old_.key_path)), qPrintable(node.output()));
    const int port = node.port("public");
    TlsClient before;
    QVERIFY2(before.connect(port, {.sni = "site.example"}), before.error().c_str());
    QCOMPARE(QString::fromStdString(before.servedSubjectCn()), QStringLiteral("old.example"));
    QCOMPARE(before.get("/").status, 200);

    QVERIFY(node.writeConfig(config(new_, new_.key_path)));
    QVERIFY(node.sendSignal(SIGHUP));
    QVERIFY2(node.waitForOutput("config reloaded: version 2"), qPrintable(node.output()));

    TlsClient after;
    QVERIFY2(after.connect(port, {.sni = "site.example"}), after.error().c_str());
    QCOMPARE(QString::fromStdString(after.servedSubjectCn()), QStringLiteral("new.example"));
    QCOMPARE(after.get("/").status, 200);
    // The connection from before the reload was not dropped: it goes on, on its old certificate.
    for (int i = 0; i < 3; ++i) {
      QCOMPARE(before.get("/").status, 200);
    }
    QCOMPARE(QString::fromStdString(before.servedSubjectCn()), QStringLiteral("old.example"));
  }

  void aMismatchedKeyOnReloadKeepsTheOldCertificate() {
    NodeProcess node;
    QVERIFY2(node.start(config(old_, old_.key_path)), qPrintable(node.output()));
    QVERIFY(node.writeConfig(config(old_, new_.key_path)));
    QVERIFY(node.sendSignal(SIGHUP));
    QVERIFY2(node.waitForOutput("reload rejected: keeping config version 1"), qPrintable(node.output()));
    QVERIFY2(node.output().contains(":5: listener 'public': key file"), qPrintable(node.output()));
    TlsClient client;
    QVERIFY2(client.connect(node.port("public"), {.sni = "site.example"}), client.error().c_str());
    QCOMPARE(QString::fromStdString(client.servedSubjectCn()), QStringLiteral("old.example"));
    QCOMPARE(client.get("/").status, 200);
  }

  void aPlainListenerTurnsToTlsOnReload() {
    NodeProcess node;
    QString plain = config(old_, old_.key_path);
    plain.remove(QRegularExpression("    tls:\n.*\n"));
    QVERIFY2(node.start(plain), qPrintable(node.output()));
    const int port = node.port("public");
    QCOMPARE(RawHttpClient::exchange(port, "GET / HTTP/1.1\r\nHost: a\r\n\r\n").status, 200);
    QVERIFY(node.writeConfig(config(new_, new_.key_path)));
    QVERIFY(node.sendSignal(SIGHUP));
    QVERIFY2(node.waitForOutput("config reloaded: version 2"), qPrintable(node.output()));
    TlsClient client;
    QVERIFY2(client.connect(port, {.sni = "site.example"}), client.error().c_str());
    QCOMPARE(client.get("/").status, 200);
  }
};

QTEST_GUILESS_MAIN(TlsReloadTest)
#include "tls_reload_test.moc"
