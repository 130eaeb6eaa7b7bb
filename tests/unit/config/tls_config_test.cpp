// A listener's `tls:` block: every key parsed, certificates loaded and checked against their keys
// when the config loads, and a `file:line` error for each mistake. Certificates are made at test time.

#include <QTemporaryDir>
#include <QtTest>

#include "engine/config/config_loader.h"
#include "engine/tls/certified_key.h"
#include "tests/support/test_certificates.h"
#include "tests/unit/config/config_errors.h"

using sluice::config::ClientVerify;
using sluice::config::loadConfigText;
using sluice::config::LoadResult;
using sluice::config::TlsVersion;
using sluice::test::errorsOf;
using sluice::test::KeyType;
using sluice::test::TestCertificate;
using sluice::test::writeSelfSigned;

namespace {

// The tls block's body starts on line 5 (its first key at 6 spaces).
std::string withTls(const std::string& body) {
  return "listeners:\n  - name: public\n    address: 127.0.0.1:0\n    tls:\n" + body;
}

std::string pair(const TestCertificate& c) {
  return "{ cert: " + c.cert_path + ", key: " + c.key_path + " }";
}

}  // namespace

class TlsConfigTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::string d_;
  TestCertificate rsa_;
  TestCertificate ec_;

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    d_ = dir_.path().toStdString();
    rsa_ = writeSelfSigned(d_, "rsa", "site.example", {"site.example", "*.Site.Example"}, KeyType::Rsa);
    ec_ = writeSelfSigned(d_, "ec", "other.example", {"other.example"}, KeyType::Ecdsa);
  }

  void defaults() {
    LoadResult r = loadConfigText(withTls("      certificates: [" + pair(ec_) + "]\n"), "t.yaml");
    QVERIFY2(r.ok(), r.errors.empty() ? "" : r.errors[0].str().c_str());
    const auto& tls = r.config->listeners.at(0).tls;
    QVERIFY(tls.has_value());
    QCOMPARE(tls->where.line, 4);
    QCOMPARE(tls->certificates.size(), size_t{1});
    QVERIFY(tls->certificates[0].loaded != nullptr);
    QCOMPARE(tls->certificates[0].loaded->names, std::vector<std::string>{"other.example"});
    QVERIFY(tls->min_version == TlsVersion::Tls12);
    QVERIFY(tls->ciphers.empty());
    QVERIFY(tls->ciphersuites.empty());
    QVERIFY(tls->session_tickets);
    QCOMPARE(tls->session_ticket_rotation, sluice::config::Duration(std::chrono::hours(12)));
    QCOMPARE(tls->handshake_timeout, sluice::config::Duration(std::chrono::seconds(10)));
    QVERIFY(tls->verify == ClientVerify::Off);
    QVERIFY(!r.config->listeners.at(0).tls->certificates[0].loaded->chain.size());
  }

  // RSA and ECDSA side by side; SAN names lower-cased with wildcards kept; every key read.
  void everyKey() {
    LoadResult r =
        loadConfigText(withTls("      certificates:\n"
                               "        - " +
                               pair(rsa_) +
                               "\n"
                               "        - " +
                               pair(ec_) +
                               "\n"
                               "      min_version: 1.3\n"
                               "      ciphers: ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256\n"
                               "      ciphersuites: TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256\n"
                               "      session_tickets: false\n"
                               "      session_ticket_rotation: 1h\n"
                               "      handshake_timeout: 3s\n"
                               "      client_ca: " +
                               ec_.cert_path +
                               "\n"
                               "      verify: optional\n"),
                       "t.yaml");
    QVERIFY2(r.ok(), r.errors.empty() ? "" : r.errors[0].str().c_str());
    const auto& tls = *r.config->listeners.at(0).tls;
    QCOMPARE(tls.certificates.size(), size_t{2});
    QCOMPARE(tls.certificates[0].where.line, 6);
    QCOMPARE(tls.certificates[0].loaded->names, (std::vector<std::string>{"site.example", "*.site.example"}));
    QCOMPARE(EVP_PKEY_get_base_id(tls.certificates[0].loaded->key.get()), EVP_PKEY_RSA);
    QCOMPARE(EVP_PKEY_get_base_id(tls.certificates[1].loaded->key.get()), EVP_PKEY_EC);
    QVERIFY(tls.min_version == TlsVersion::Tls13);
    QCOMPARE(tls.ciphers, std::string("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"));
    QCOMPARE(tls.ciphersuites, std::string("TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256"));
    QVERIFY(!tls.session_tickets);
    QCOMPARE(tls.session_ticket_rotation, sluice::config::Duration(std::chrono::hours(1)));
    QCOMPARE(tls.handshake_timeout, sluice::config::Duration(std::chrono::seconds(3)));
    QCOMPARE(tls.client_ca, ec_.cert_path);
    QVERIFY(tls.verify == ClientVerify::Optional);
  }

  void clientCaAloneMeansRequire() {
    LoadResult r = loadConfigText(
        withTls("      certificates: [" + pair(ec_) + "]\n      client_ca: " + rsa_.cert_path + "\n"),
        "t.yaml");
    QVERIFY(r.ok());
    QVERIFY(r.config->listeners.at(0).tls->verify == ClientVerify::Require);
  }

  void commonNameWithoutSan() {
    TestCertificate cn = writeSelfSigned(d_, "cn", "Legacy.Example", {});
    LoadResult r = loadConfigText(withTls("      certificates: [" + pair(cn) + "]\n"), "t.yaml");
    QVERIFY(r.ok());
    QCOMPARE(r.config->listeners.at(0).tls->certificates[0].loaded->names,
             std::vector<std::string>{"legacy.example"});
  }

  // The brief's key case: a key that belongs to another certificate, named with both files.
  void mismatchedKeyIsRefused() {
    const std::string mixed = "{ cert: " + rsa_.cert_path + ", key: " + ec_.key_path + " }";
    QCOMPARE(
        errorsOf(withTls("      certificates:\n        - " + mixed + "\n")),
        QStringList{QString::fromStdString("t.yaml:6: listener 'public': key file '" + ec_.key_path +
                                           "' does not match certificate file '" + rsa_.cert_path + "'")});
  }

  void unreadableAndForeignFiles() {
    const std::string missing = d_ + "/missing.crt";
    const std::string junk = d_ + "/junk.pem";
    sluice::test::writeTextFile(junk, "not a pem file\n");
    QCOMPARE(
        errorsOf(withTls("      certificates:\n"
                         "        - { cert: " +
                         missing + ", key: " + ec_.key_path +
                         " }\n"
                         "        - { cert: " +
                         junk + ", key: " + ec_.key_path +
                         " }\n"
                         "        - { cert: " +
                         ec_.cert_path + ", key: " + junk +
                         " }\n"
                         "        - { cert: " +
                         ec_.cert_path + ", key: " + ec_.cert_path +
                         " }\n"
                         "      client_ca: " +
                         junk + "\n")),
        (QStringList{QString::fromStdString("t.yaml:6: listener 'public': cannot read certificate file '" +
                                            missing + "': No such file or directory"),
                     QString::fromStdString("t.yaml:7: listener 'public': certificate file '" + junk +
                                            "' holds no PEM certificate"),
                     QString::fromStdString("t.yaml:8: listener 'public': key file '" + junk +
                                            "' holds no PEM private key (encrypted keys are not supported)"),
                     QString::fromStdString("t.yaml:9: listener 'public': key file '" + ec_.cert_path +
                                            "' holds no PEM private key (encrypted keys are not supported)"),
                     QString::fromStdString("t.yaml:10: listener 'public': CA file '" + junk +
                                            "' holds no PEM certificate")}));
  }

  void valueErrors() {
    QCOMPARE(errorsOf(withTls("      certificates: []\n")),
             QStringList{"t.yaml:5: listener 'public': 'certificates' must list at least one {cert, key}"});
    QCOMPARE(errorsOf(withTls("      min_version: 1.2\n")),
             QStringList{"t.yaml:5: listener 'public': missing required key 'certificates'"});
    const std::string certs = "      certificates: [" + pair(ec_) + "]\n";
    QCOMPARE(errorsOf(withTls(certs + "      min_version: 1.1\n"
                                      "      ciphers: NO-SUCH-CIPHER\n"
                                      "      ciphersuites: TLS_NO_SUCH_SUITE\n"
                                      "      handshake_timeout: 0s\n"
                                      "      verify: require\n")),
             (QStringList{
                 "t.yaml:6: 'min_version' must be 1.2 or 1.3, got '1.1' (did you mean '1.2'?)",
                 "t.yaml:7: listener 'public': 'ciphers' selects no cipher OpenSSL knows: 'NO-SUCH-CIPHER'",
                 "t.yaml:8: listener 'public': 'ciphersuites' is not a list of TLS 1.3 suites OpenSSL "
                 "knows: 'TLS_NO_SUCH_SUITE'",
                 "t.yaml:9: 'handshake_timeout' must be more than 0s, got 0s",
                 "t.yaml:10: listener 'public': 'verify' needs 'client_ca' (the CAs to check client "
                 "certificates against)"}));
    QCOMPARE(errorsOf(withTls("      certificates: [{ cert: " + ec_.cert_path + " }]\n")),
             QStringList{"t.yaml:5: listener 'public': missing required key 'key'"});
  }

  void clientSubjectHeader() {
    LoadResult r = loadConfigText(withTls("      certificates: [" + pair(ec_) + "]\n"), "t.yaml");
    QVERIFY(r.ok());
    QCOMPARE(r.config->listeners[0].tls->client_subject_header, std::string("X-Client-Subject"));
    r = loadConfigText(
        withTls("      certificates: [" + pair(ec_) + "]\n      client_subject_header: X-SSL-DN\n"),
        "t.yaml");
    QVERIFY(r.ok());
    QCOMPARE(r.config->listeners[0].tls->client_subject_header, std::string("X-SSL-DN"));
    QCOMPARE(errorsOf(withTls("      certificates: [" + pair(ec_) +
                              "]\n      client_subject_header: \"X Bad\"\n")),
             QStringList{"t.yaml:6: listener 'public': client_subject_header 'X Bad' is not a header name"});
  }

  void upstreamTls() {
    const std::string head =
        "listeners:\n  - { name: p, address: 127.0.0.1:0 }\n"
        "upstreams:\n  - name: billing\n    servers: [billing.internal:443]\n";
    LoadResult r = loadConfigText(head + "    tls: {}\n", "t.yaml");
    QVERIFY(r.ok());
    QVERIFY(r.config->upstreams[0].tls.has_value());
    QVERIFY(r.config->upstreams[0].tls->verify);
    QVERIFY(r.config->upstreams[0].tls->ca.empty());
    QVERIFY(r.config->upstreams[0].tls->sni.empty());
    r = loadConfigText(head + "    tls: { verify: false, ca: " + ec_.cert_path + ", sni: billing.example }\n",
                       "t.yaml");
    QVERIFY(r.ok());
    QVERIFY(!r.config->upstreams[0].tls->verify);
    QCOMPARE(r.config->upstreams[0].tls->ca, ec_.cert_path);
    QCOMPARE(r.config->upstreams[0].tls->sni, std::string("billing.example"));
    QVERIFY(!loadConfigText(head, "t.yaml").config->upstreams[0].tls.has_value());

    QCOMPARE(errorsOf(head + "    tls:\n      ca: " + d_ + "/missing.pem\n      sni: \"bad name\"\n" +
                      "      certificate: x\n"),
             (QStringList{"t.yaml:7: upstream 'billing': cannot read CA file '" + QString::fromStdString(d_) +
                              "/missing.pem': No such file or directory",
                          "t.yaml:8: upstream 'billing': sni 'bad name' is not a host name",
                          "t.yaml:9: unknown key 'certificate'"}));
  }
};

QTEST_GUILESS_MAIN(TlsConfigTest)
#include "tls_config_test.moc"
