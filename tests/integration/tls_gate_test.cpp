// Until the TLS transport exists: `sluice check` validates a listener's `tls:` block (a mismatched
// key is a FILE:LINE error), while `serve` and a SIGHUP reload refuse TLS listeners instead of
// serving them in plain text, and the node keeps serving its old config.

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

#include "tests/support/node_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/run_command.h"
#include "tests/support/test_certificates.h"

using sluice::test::CommandResult;
using sluice::test::NodeProcess;
using sluice::test::RawHttpClient;
using sluice::test::runSluice;
using sluice::test::TestCertificate;
using sluice::test::writeSelfSigned;

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
      "    respond: { status: 200, body: hi }\n");
}

const QString kPlain = QStringLiteral(
    "listeners:\n"
    "  - name: public\n"
    "    address: 127.0.0.1:0\n"
    "routes:\n"
    "  - name: hello\n"
    "    match: { path_prefix: / }\n"
    "    respond: { status: 200, body: hi }\n");

}  // namespace

class TlsGateTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  TestCertificate site_;
  TestCertificate other_;

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
    site_ = writeSelfSigned(dir_.path().toStdString(), "site", "site.example", {"site.example"});
    other_ = writeSelfSigned(dir_.path().toStdString(), "other", "other.example", {"other.example"});
  }

  void checkValidatesTheBlock() {
    const QString good = write("good.yaml", config(site_, site_.key_path));
    CommandResult result = runSluice({"check", "--config", good});
    QVERIFY2(result.exit_code == 0, qPrintable(result.err));
    const QString bad = write("bad.yaml", config(site_, other_.key_path));
    result = runSluice({"check", "--config", bad});
    QCOMPARE(result.exit_code, 1);
    const QString expected = bad + ":5: listener 'public': key file '" +
                             QString::fromStdString(other_.key_path) + "' does not match certificate file '" +
                             QString::fromStdString(site_.cert_path) + "'";
    QVERIFY2(result.err.contains(expected), qPrintable(result.err));
  }

  void serveRefusesATlsListener() {
    NodeProcess node;
    QVERIFY(!node.start(config(site_, site_.key_path)));
    QVERIFY2(node.output().contains(":4: listener 'public': TLS is not served yet"),
             qPrintable(node.output()));
  }

  void reloadRefusesATlsListener() {
    NodeProcess node;
    QVERIFY2(node.start(kPlain), qPrintable(node.output()));
    QVERIFY(node.writeConfig(config(site_, site_.key_path)));
    QVERIFY(node.sendSignal(SIGHUP));
    QVERIFY2(node.waitForOutput("reload rejected: keeping config version 1"), qPrintable(node.output()));
    QVERIFY(node.output().contains("TLS is not served yet"));
    const auto response = RawHttpClient::exchange(node.port("public"), "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    QCOMPARE(response.status, 200);
  }
};

QTEST_GUILESS_MAIN(TlsGateTest)
#include "tls_gate_test.moc"
