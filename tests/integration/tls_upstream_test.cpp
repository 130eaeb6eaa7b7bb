// TLS to upstreams: the origin is a second sluice node serving HTTPS with a test certificate. With
// the right CA and name the proxy answers 200 (and resumes its TLS session on new connections); an
// untrusted certificate or a name the certificate does not carry is a 502 with the reason logged;
// verify: false accepts anything.

#include <QTemporaryDir>
#include <QtTest>

#include "tests/support/node_process.h"
#include "tests/support/metrics_reader.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/test_certificates.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

class TlsUpstreamTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  NodeProcess origin_;
  NodeProcess proxy_;
  int origin_port_ = -1;

  int get(const QByteArray& path) {
    return RawHttpClient::exchange(proxy_.port("web"), "GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").status;
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    const std::string d = dir_.path().toStdString();
    const TestCertificate site = writeSelfSigned(d, "site", "origin.test", {"origin.test"});
    const TestCertificate stranger = writeSelfSigned(d, "stranger", "stranger.test", {"stranger.test"});
    QVERIFY2(origin_.start(QString::fromStdString("listeners:\n"
                                                  "  - name: tls\n"
                                                  "    address: 127.0.0.1:0\n"
                                                  "    tls:\n"
                                                  "      certificates: [{ cert: " +
                                                  site.cert_path + ", key: " + site.key_path +
                                                  " }]\n"
                                                  "routes:\n"
                                                  "  - name: hello\n"
                                                  "    match: { path_prefix: / }\n"
                                                  "    respond: { status: 200, body: from-origin }\n"
                                                  "control:\n"
                                                  "  socket: ${TMP}/control.sock\n"
                                                  "  admin_http: 127.0.0.1:0\n")),
             qPrintable(origin_.output()));
    origin_port_ = origin_.port("tls");
    const std::string server = "127.0.0.1:" + std::to_string(origin_port_);
    auto upstream = [&](const std::string& name, const std::string& tls) {
      return "  - name: " + name + "\n    servers: [" + server + "]\n    keepalive: 0\n    tls: " + tls +
             "\n";
    };
    auto route = [](const std::string& name) {
      return "  - { name: " + name + ", match: { path_prefix: /" + name + " }, upstream: " + name + " }\n";
    };
    const std::string yaml = "workers: 1\nlisteners:\n  - name: web\n    address: 127.0.0.1:0\nupstreams:\n" +
                             upstream("good", "{ ca: " + site.cert_path + ", sni: origin.test }") +
                             upstream("untrusted", "{ ca: " + stranger.cert_path + ", sni: origin.test }") +
                             upstream("misnamed", "{ ca: " + site.cert_path + ", sni: other.test }") +
                             upstream("byaddress", "{ ca: " + site.cert_path + " }") +
                             upstream("unverified", "{ verify: false }") + "routes:\n" + route("good") +
                             route("untrusted") + route("misnamed") + route("byaddress") +
                             route("unverified") + "control:\n  socket: ${TMP}/control.sock\n";
    QVERIFY2(proxy_.start(QString::fromStdString(yaml)), qPrintable(proxy_.output()));
  }

  void verifiedUpstreamIsServedAndSessionsAreReused() {
    const double resumed_before = metricValue(origin_.adminPort(), "sluice_tls_resumed_handshakes_total");
    // keepalive: 0: every request is a new connection, and all but the first resume the session.
    for (int i = 0; i < 5; ++i) {
      QCOMPARE(get("/good"), 200);
    }
    QVERIFY(waitUntil(
        [&] {
          return metricValue(origin_.adminPort(), "sluice_tls_resumed_handshakes_total") >=
                 resumed_before + 4;
        },
        5000));
  }

  void anUntrustedCertificateIsA502() {
    QCOMPARE(get("/untrusted"), 502);
    QVERIFY2(proxy_.waitForOutput("upstream untrusted: GET /untrusted via"), qPrintable(proxy_.output()));
    QVERIFY2(proxy_.waitForOutput("TLS handshake failed: self-signed certificate"),
             qPrintable(proxy_.output()));
  }

  void aNameTheCertificateDoesNotCarryIsA502() {
    QCOMPARE(get("/misnamed"), 502);
    QVERIFY2(proxy_.waitForOutput("TLS handshake failed: hostname mismatch"), qPrintable(proxy_.output()));
    // An IP address as the server and no sni: the certificate must carry the address.
    QCOMPARE(get("/byaddress"), 502);
    QVERIFY2(proxy_.waitForOutput("TLS handshake failed: IP address mismatch"), qPrintable(proxy_.output()));
  }

  void verifyOffAcceptsAnyCertificate() { QCOMPARE(get("/unverified"), 200); }
};

QTEST_GUILESS_MAIN(TlsUpstreamTest)
#include "tls_upstream_test.moc"
