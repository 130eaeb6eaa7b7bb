// Client certificates (mTLS) per listener: with `verify: require` a client without a certificate, or
// with one the CA did not sign, is refused in the handshake (counted as client_certificate), a good
// one is served and its subject goes upstream in X-Client-Subject, which a client can never set
// itself; with `verify: optional` clients without a certificate are served and no subject is sent.

#include <QTemporaryDir>
#include <QtTest>

#include "tests/support/node_process.h"
#include "tests/support/origin_process.h"
#include "tests/support/metrics_reader.h"
#include "tests/support/test_certificates.h"
#include "tests/support/tls_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

class TlsClientCertTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  OriginProcess origin_;
  NodeProcess node_;
  TestCertificate alice_;     // trusted: the client CA is alice's own (self-signed) certificate
  TlsClientOptions mallory_;  // a certificate nobody trusts

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    const std::string d = dir_.path().toStdString();
    const TestCertificate site = writeSelfSigned(d, "site", "site.example", {"site.example"});
    alice_ = writeSelfSigned(d, "alice", "alice", {});
    const TestCertificate mallory = writeSelfSigned(d, "mallory", "alice", {});
    mallory_ = {.sni = "site.example", .cert_path = mallory.cert_path, .key_path = mallory.key_path};
    QVERIFY(origin_.start());
    const std::string certificates =
        "      certificates: [{ cert: " + site.cert_path + ", key: " + site.key_path + " }]\n";
    const QString yaml = QString::fromStdString(
                             "listeners:\n"
                             "  - name: strict\n"
                             "    address: 127.0.0.1:0\n"
                             "    tls:\n" +
                             certificates + "      client_ca: " + alice_.cert_path +
                             "\n"
                             "      verify: require\n"
                             "  - name: relaxed\n"
                             "    address: 127.0.0.1:0\n"
                             "    tls:\n" +
                             certificates + "      client_ca: " + alice_.cert_path +
                             "\n"
                             "      verify: optional\n"
                             "upstreams:\n"
                             "  - name: app\n"
                             "    servers: [") +
                         origin_.address() +
                         "]\n"
                         "routes:\n"
                         "  - name: app\n"
                         "    match: { path_prefix: / }\n"
                         "    upstream: app\n"
                         "control:\n"
                         "  socket: ${TMP}/control.sock\n"
                         "  admin_http: 127.0.0.1:0\n";
    QVERIFY2(node_.start(yaml), qPrintable(node_.output()));
  }

  void requireRefusesClientsWithoutAGoodCertificate() {
    const double before =
        metricValue(node_.adminPort(), "sluice_tls_handshake_failures_total{reason=\"client_certificate\"}");
    // TLS 1.3 clients learn of the refusal on their first read, so each attempt makes a request.
    TlsClient anonymous;
    QVERIFY(!anonymous.connect(node_.port("strict"), {.sni = "site.example"}) ||
            anonymous.get("/").status == 0);
    TlsClient mallory;
    QVERIFY(!mallory.connect(node_.port("strict"), mallory_) || mallory.get("/").status == 0);
    QVERIFY(waitUntil(
        [&] {
          return metricValue(node_.adminPort(),
                             "sluice_tls_handshake_failures_total{reason=\"client_certificate\"}") ==
                 before + 2;
        },
        5000));
  }

  void aTrustedCertificateIsServedAndItsSubjectGoesUpstream() {
    TlsClient alice;
    QVERIFY2(
        alice.connect(node_.port("strict"),
                      {.sni = "site.example", .cert_path = alice_.cert_path, .key_path = alice_.key_path}),
        alice.error().c_str());
    const HttpResponse response = alice.request(
        "GET /echo-headers HTTP/1.1\r\nHost: site.example\r\nX-Client-Subject: CN=root\r\n\r\n");
    QCOMPARE(response.status, 200);
    QVERIFY2(response.body.contains("[\"X-Client-Subject\",\"CN=alice\"]"), response.body.constData());
    QVERIFY2(!response.body.contains("CN=root"), response.body.constData());
  }

  void optionalServesClientsWithoutACertificate() {
    TlsClient anonymous;
    QVERIFY2(anonymous.connect(node_.port("relaxed"), {.sni = "site.example"}), anonymous.error().c_str());
    const HttpResponse response = anonymous.request(
        "GET /echo-headers HTTP/1.1\r\nHost: site.example\r\nX-Client-Subject: CN=root\r\n\r\n");
    QCOMPARE(response.status, 200);
    QVERIFY2(!response.body.contains("X-Client-Subject"), response.body.constData());
  }
};

QTEST_GUILESS_MAIN(TlsClientCertTest)
#include "tls_client_cert_test.moc"
