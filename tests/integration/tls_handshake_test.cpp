// TLS termination on a listener, with real handshakes over real sockets: SNI picks the certificate
// (exact, wildcard, unknown and no SNI get the default; RSA and ECDSA side by side), ALPN http/1.1,
// TLS 1.1 refused, plain HTTP on the TLS port answered 400 in plain text, a client stalled
// mid-handshake closed at handshake_timeout while others are served, X-Forwarded-Proto https
// upstream, and every outcome counted in /metrics.

#include <QTemporaryDir>
#include <QtTest>

#include "tests/support/node_process.h"
#include "tests/support/origin_process.h"
#include "tests/support/metrics_reader.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/test_certificates.h"
#include "tests/support/tls_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

class TlsHandshakeTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  OriginProcess origin_;
  NodeProcess node_;
  int port_ = -1;
  int admin_ = -1;

  double metric(const QByteArray& series) const { return metricValue(admin_, series); }
  bool metricReaches(const QByteArray& series, double value) const {
    return waitUntil([&] { return metric(series) == value; }, 5000);
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    const std::string d = dir_.path().toStdString();
    const TestCertificate site =
        writeSelfSigned(d, "site", "site.example", {"site.example", "*.site.example"}, KeyType::Rsa);
    const TestCertificate other =
        writeSelfSigned(d, "other", "other.example", {"other.example"}, KeyType::Ecdsa);
    QVERIFY(origin_.start());
    const QString yaml = QString::fromStdString(
                             "workers: 2\n"
                             "listeners:\n"
                             "  - name: public\n"
                             "    address: 127.0.0.1:0\n"
                             "    tls:\n"
                             "      handshake_timeout: 1s\n"
                             "      certificates:\n"
                             "        - { cert: " +
                             site.cert_path + ", key: " + site.key_path +
                             " }\n"
                             "        - { cert: " +
                             other.cert_path + ", key: " + other.key_path +
                             " }\n"
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
    port_ = node_.port("public");
    admin_ = node_.adminPort();
    QVERIFY(port_ > 0 && admin_ > 0);
  }

  void sniPicksTheCertificate_data() {
    QTest::addColumn<QString>("sni");
    QTest::addColumn<QString>("subject");
    QTest::newRow("exact rsa") << "site.example"
                               << "site.example";
    QTest::newRow("exact ecdsa") << "other.example"
                                 << "other.example";
    QTest::newRow("wildcard") << "api.site.example"
                              << "site.example";
    QTest::newRow("case-insensitive") << "OTHER.Example"
                                      << "other.example";
    QTest::newRow("unknown name: default") << "nobody.example"
                                           << "site.example";
    QTest::newRow("no SNI: default") << ""
                                     << "site.example";
  }

  void sniPicksTheCertificate() {
    QFETCH(QString, sni);
    QFETCH(QString, subject);
    TlsClient client;
    QVERIFY2(client.connect(port_, {.sni = sni.toStdString()}), client.error().c_str());
    QCOMPARE(QString::fromStdString(client.servedSubjectCn()), subject);
    QCOMPARE(QString::fromStdString(client.alpn()), QStringLiteral("http/1.1"));
    const HttpResponse response = client.get("/hello");
    QVERIFY2(response.ok(), qPrintable(response.describe()));
    QCOMPARE(response.status, 200);
  }

  void keepAliveCarriesManyRequestsAndTellsUpstreamItWasHttps() {
    TlsClient client;
    QVERIFY2(client.connect(port_, {.sni = "site.example"}), client.error().c_str());
    for (int i = 0; i < 20; ++i) {
      const HttpResponse response = client.get("/echo-headers", "site.example");
      QVERIFY2(response.status == 200, qPrintable(response.describe()));
      if (i == 0) {
        QVERIFY2(response.body.contains("[\"X-Forwarded-Proto\",\"https\"]"), response.body.constData());
      }
    }
    // A body bigger than one TLS record, through the proxy.
    const HttpResponse big = client.get("/size/300000");
    QCOMPARE(big.status, 200);
    QCOMPARE(big.body_bytes, 300000);
  }

  void tls11IsRefusedAndCounted() {
    const double before = metric("sluice_tls_handshake_failures_total{reason=\"protocol_version\"}");
    TlsClient client;
    QVERIFY(!client.connect(
        port_, {.sni = "site.example", .min_version = TLS1_VERSION, .max_version = TLS1_1_VERSION}));
    QVERIFY(metricReaches("sluice_tls_handshake_failures_total{reason=\"protocol_version\"}", before + 1));
    // TLS 1.2 is still offered by default.
    TlsClient tls12;
    QVERIFY2(tls12.connect(port_, {.sni = "site.example", .max_version = TLS1_2_VERSION}),
             tls12.error().c_str());
    QCOMPARE(QString::fromStdString(tls12.version()), QStringLiteral("TLSv1.2"));
  }

  void plainHttpGetsAPlainTextAnswer() {
    const double before = metric("sluice_tls_handshake_failures_total{reason=\"plain_http\"}");
    const HttpResponse response =
        RawHttpClient::exchange(port_, "GET / HTTP/1.1\r\nHost: site.example\r\n\r\n");
    QCOMPARE(response.status, 400);
    QVERIFY(response.body.contains("https://"));
    QVERIFY(response.closed_after);
    QVERIFY(metricReaches("sluice_tls_handshake_failures_total{reason=\"plain_http\"}", before + 1));
  }

  void aStalledHandshakeIsClosedAtTheTimeoutAndHurtsNoOne() {
    const double before = metric("sluice_tls_handshake_failures_total{reason=\"timeout\"}");
    RawHttpClient stalled;
    QVERIFY(stalled.connect(port_));
    // The first bytes of a ClientHello record, then nothing.
    QVERIFY(stalled.send(QByteArray("\x16\x03\x01\x02\x00\x01\x00", 7)));
    TlsClient other;
    QVERIFY2(other.connect(port_, {.sni = "site.example"}), other.error().c_str());
    QCOMPARE(other.get("/hello").status, 200);
    QVERIFY2(stalled.isClosedByPeer(5000), "the stalled connection stays open past handshake_timeout");
    QVERIFY(metricReaches("sluice_tls_handshake_failures_total{reason=\"timeout\"}", before + 1));
    QCOMPARE(other.get("/hello").status, 200);
  }

  void completedHandshakesAreCountedByVersionAndCipher() {
    const double before = metric("sluice_tls_handshakes_total");
    QVERIFY(before > 0);
    TlsClient client;
    QVERIFY(client.connect(port_, {.sni = "site.example", .max_version = TLS1_2_VERSION}));
    QVERIFY(metricReaches("sluice_tls_handshakes_total", before + 1));
    const HttpResponse metrics = RawHttpClient::exchange(admin_, "GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n");
    QVERIFY2(metrics.body.contains(
                 "sluice_tls_cipher_handshakes_total{version=\"TLSv1.2\",cipher=\"ECDHE-RSA-AES"),
             metrics.body.constData());
    QVERIFY(metrics.body.contains("sluice_tls_cipher_handshakes_total{version=\"TLSv1.3\",cipher=\"TLS_"));
  }
};

QTEST_GUILESS_MAIN(TlsHandshakeTest)
#include "tls_handshake_test.moc"
