// ServerContext with real handshakes over an in-memory BIO pair: SNI picks the certificate (checked by
// the served certificate's subject), the first certificate serves clients without SNI or with an
// unknown name, RSA and ECDSA side by side, TLS 1.1 refused, min_version 1.3, ALPN http/1.1, and a
// session resumed by ticket.

#include "engine/tls/server_context.h"

#include <QTemporaryDir>
#include <QtTest>

#include "engine/config/config_loader.h"
#include "tests/support/memory_handshake.h"
#include "tests/support/test_certificates.h"

using sluice::config::loadConfigText;
using sluice::config::LoadResult;
using sluice::test::KeyType;
using sluice::test::makeTestClientContext;
using sluice::test::memoryHandshake;
using sluice::test::TestCertificate;
using sluice::test::writeSelfSigned;
using sluice::tls::ServerContext;
using sluice::tls::ServerContextPtr;
using sluice::tls::TicketKeys;
using sluice::tls::TicketKeysPtr;

namespace {

const std::string kHttp11Alpn = std::string("\x02h2\x08http/1.1", 12);

}  // namespace

class ServerContextTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::string certs_;
  TicketKeysPtr tickets_ = TicketKeys::create(std::chrono::steady_clock::now());
  TestCertificate client_;  // a self-signed client certificate, also used as its own CA  // the certificates:
                            // list, YAML flow style

  ServerContextPtr build(const std::string& extra = {}) {
    LoadResult r = loadConfigText(
        "listeners:\n  - name: public\n    address: 127.0.0.1:0\n    tls:\n"
        "      certificates: " +
            certs_ + "\n" + extra,
        "t.yaml");
    if (!r.ok()) {
      qWarning("%s", r.errors[0].str().c_str());
      return nullptr;
    }
    std::string error;
    ServerContextPtr context = ServerContext::build(*r.config->listeners[0].tls, "public", tickets_, error);
    if (!context) {
      qWarning("%s", error.c_str());
    }
    return context;
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    const std::string d = dir_.path().toStdString();
    TestCertificate site =
        writeSelfSigned(d, "site", "site.example", {"site.example", "*.site.example"}, KeyType::Rsa);
    TestCertificate other = writeSelfSigned(d, "other", "other.example", {"other.example"}, KeyType::Ecdsa);
    client_ = writeSelfSigned(d, "client", "alice", {});
    certs_ = "[{ cert: " + site.cert_path + ", key: " + site.key_path + " }, { cert: " + other.cert_path +
             ", key: " + other.key_path + " }]";
  }

  void sniPicksTheCertificate_data() {
    QTest::addColumn<QString>("sni");
    QTest::addColumn<QString>("served");
    QTest::newRow("exact, second certificate (ECDSA)") << "other.example"
                                                       << "other.example";
    QTest::newRow("exact, first certificate (RSA)") << "site.example"
                                                    << "site.example";
    QTest::newRow("wildcard") << "www.site.example"
                              << "site.example";
    QTest::newRow("any case") << "OTHER.Example"
                              << "other.example";
    QTest::newRow("wildcard covers one label only") << "a.b.other.example"
                                                    << "site.example";
    QTest::newRow("unknown name: default") << "nowhere.example"
                                           << "site.example";
    QTest::newRow("no SNI: default") << ""
                                     << "site.example";
  }
  // An RSA and an ECDSA certificate for the same name share one context: the client's signature
  // algorithms pick between them.
  void rsaAndEcdsaForTheSameNameArePickedPerClient() {
    const std::string d = dir_.path().toStdString();
    TestCertificate rsa = writeSelfSigned(d, "dual-rsa", "dual-rsa", {"dual.example"}, KeyType::Rsa);
    TestCertificate ecdsa = writeSelfSigned(d, "dual-ecdsa", "dual-ecdsa", {"dual.example"}, KeyType::Ecdsa);
    LoadResult r = loadConfigText(
        "listeners:\n  - name: public\n    address: 127.0.0.1:0\n    tls:\n"
        "      certificates: [{ cert: " +
            rsa.cert_path + ", key: " + rsa.key_path + " }, { cert: " + ecdsa.cert_path +
            ", key: " + ecdsa.key_path + " }]\n",
        "t.yaml");
    QVERIFY(r.ok());
    std::string error;
    ServerContextPtr dual = ServerContext::build(*r.config->listeners[0].tls, "public", tickets_, error);
    QVERIFY2(dual, error.c_str());
    auto modern = makeTestClientContext();
    QCOMPARE(QString::fromStdString(
                 memoryHandshake(modern.get(), dual->newSsl(), "dual.example").served_subject_cn),
             QStringLiteral("dual-ecdsa"));
    auto rsa_only = makeTestClientContext();
    QVERIFY(SSL_CTX_set1_sigalgs_list(rsa_only.get(), "RSA-PSS+SHA256:RSA+SHA256") == 1);
    QCOMPARE(QString::fromStdString(
                 memoryHandshake(rsa_only.get(), dual->newSsl(), "dual.example").served_subject_cn),
             QStringLiteral("dual-rsa"));
  }

  void sniPicksTheCertificate() {
    QFETCH(QString, sni);
    QFETCH(QString, served);
    ServerContextPtr context = build();
    QVERIFY(context);
    auto client = makeTestClientContext();
    auto result = memoryHandshake(client.get(), context->newSsl(), sni.toStdString(), kHttp11Alpn);
    QVERIFY(result.ok);
    QCOMPARE(QString::fromStdString(result.served_subject_cn), served);
    QCOMPARE(result.alpn, std::string("http/1.1"));  // h2 is offered first but not selected (yet)
    QCOMPARE(result.version, TLS1_3_VERSION);
  }

  void tls12StillWorksAndTls11IsRefused() {
    ServerContextPtr context = build();
    QVERIFY(context);
    auto tls12 = makeTestClientContext(TLS1_VERSION, TLS1_2_VERSION);
    auto result = memoryHandshake(tls12.get(), context->newSsl(), "other.example");
    QVERIFY(result.ok);
    QCOMPARE(result.version, TLS1_2_VERSION);
    QCOMPARE(result.served_subject_cn, std::string("other.example"));
    auto tls11 = makeTestClientContext(TLS1_VERSION, TLS1_1_VERSION);
    QVERIFY(!memoryHandshake(tls11.get(), context->newSsl(), "site.example").ok);
  }

  void minVersion13RefusesTls12() {
    ServerContextPtr context = build("      min_version: 1.3\n");
    QVERIFY(context);
    auto tls12 = makeTestClientContext(TLS1_VERSION, TLS1_2_VERSION);
    QVERIFY(!memoryHandshake(tls12.get(), context->newSsl(), "site.example").ok);
    auto any = makeTestClientContext();
    QVERIFY(memoryHandshake(any.get(), context->newSsl(), "site.example").ok);
  }

  // A TLS 1.2 client offering only a CBC cipher (not in the intermediate list) is refused.
  void weakCipherIsRefused() {
    ServerContextPtr context = build();
    QVERIFY(context);
    auto client = makeTestClientContext(TLS1_2_VERSION, TLS1_2_VERSION);
    QVERIFY(SSL_CTX_set_cipher_list(client.get(), "AES128-SHA:@SECLEVEL=0") == 1);
    QVERIFY(!memoryHandshake(client.get(), context->newSsl(), "site.example").ok);
  }

  // One context serves both connections, as the workers of a node share it.
  void sessionIsResumed() {
    ServerContextPtr context = build();
    QVERIFY(context);
    auto client = makeTestClientContext();
    SSL_SESSION* session = nullptr;
    auto first = memoryHandshake(client.get(), context->newSsl(), "other.example", {}, nullptr, &session);
    QVERIFY(first.ok);
    QVERIFY(!first.resumed);
    QVERIFY(session != nullptr);
    auto second = memoryHandshake(client.get(), context->newSsl(), "other.example", {}, session);
    SSL_SESSION_free(session);
    QVERIFY(second.ok);
    QVERIFY(second.resumed);
    QCOMPARE(second.served_subject_cn, std::string("other.example"));
  }

  void clientCertificateRequired() {
    ServerContextPtr context = build("      client_ca: " + client_.cert_path + "\n      verify: require\n");
    QVERIFY(context);
    auto anonymous = makeTestClientContext();
    QVERIFY(!memoryHandshake(anonymous.get(), context->newSsl(), "site.example").ok);
    auto alice = makeTestClientContext();
    QVERIFY(SSL_CTX_use_certificate_chain_file(alice.get(), client_.cert_path.c_str()) == 1);
    QVERIFY(SSL_CTX_use_PrivateKey_file(alice.get(), client_.key_path.c_str(), SSL_FILETYPE_PEM) == 1);
    QVERIFY(memoryHandshake(alice.get(), context->newSsl(), "other.example").ok);
    // A certificate the CA file does not vouch for is refused too.
    TestCertificate mallory = writeSelfSigned(dir_.path().toStdString(), "mallory", "mallory", {});
    auto stranger = makeTestClientContext();
    QVERIFY(SSL_CTX_use_certificate_chain_file(stranger.get(), mallory.cert_path.c_str()) == 1);
    QVERIFY(SSL_CTX_use_PrivateKey_file(stranger.get(), mallory.key_path.c_str(), SSL_FILETYPE_PEM) == 1);
    QVERIFY(!memoryHandshake(stranger.get(), context->newSsl(), "site.example").ok);
  }

  void clientCertificateOptional() {
    ServerContextPtr context = build("      client_ca: " + client_.cert_path + "\n      verify: optional\n");
    QVERIFY(context);
    auto anonymous = makeTestClientContext();
    QVERIFY(memoryHandshake(anonymous.get(), context->newSsl(), "site.example").ok);
  }
};

QTEST_GUILESS_MAIN(ServerContextTest)
#include "server_context_test.moc"
