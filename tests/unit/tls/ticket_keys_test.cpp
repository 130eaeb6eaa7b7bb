// Session-ticket keys: a ticket resumes on another context built with the same keys (another worker,
// or the context a reload builds), still resumes (and is renewed) after one rotation, and no longer
// after two; a context with other keys (another listener) never resumes it.

#include "engine/tls/ticket_keys.h"

#include <QTemporaryDir>
#include <QtTest>

#include "engine/config/config_loader.h"
#include "engine/tls/server_context.h"
#include "tests/support/memory_handshake.h"
#include "tests/support/test_certificates.h"

using sluice::config::loadConfigText;
using sluice::config::LoadResult;
using sluice::test::makeTestClientContext;
using sluice::test::memoryHandshake;
using sluice::test::TestCertificate;
using sluice::test::writeSelfSigned;
using sluice::tls::ServerContext;
using sluice::tls::ServerContextPtr;
using sluice::tls::TicketKeys;
using sluice::tls::TicketKeysPtr;

class TicketKeysTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  LoadResult loaded_;
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();

  ServerContextPtr build(const TicketKeysPtr& keys, const std::string& listener = "public") {
    std::string error;
    ServerContextPtr context = ServerContext::build(*loaded_.config->listeners[0].tls, listener, keys, error);
    if (!context) {
      qWarning("%s", error.c_str());
    }
    return context;
  }

  // A full handshake on `issuer`, then whether its session resumes on `resumer`.
  bool resumesOn(const ServerContextPtr& issuer, const ServerContextPtr& resumer, int max_version) {
    auto client = makeTestClientContext(0, max_version);
    SSL_SESSION* session = nullptr;
    if (!memoryHandshake(client.get(), issuer->newSsl(), "site.example", {}, nullptr, &session).ok ||
        session == nullptr) {
      return false;
    }
    const auto second = memoryHandshake(client.get(), resumer->newSsl(), "site.example", {}, session);
    SSL_SESSION_free(session);
    return second.ok && second.resumed;
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    const TestCertificate site =
        writeSelfSigned(dir_.path().toStdString(), "site", "site.example", {"site.example"});
    loaded_ = loadConfigText(
        "listeners:\n  - name: public\n    address: 127.0.0.1:0\n    tls:\n"
        "      certificates: [{ cert: " +
            site.cert_path + ", key: " + site.key_path + " }]\n",
        "t.yaml");
    QVERIFY(loaded_.ok());
  }

  void sharedKeysResumeAcrossContexts_data() {
    QTest::addColumn<int>("version");
    QTest::newRow("TLS 1.3") << TLS1_3_VERSION;
    QTest::newRow("TLS 1.2") << TLS1_2_VERSION;
  }
  void sharedKeysResumeAcrossContexts() {
    QFETCH(int, version);
    const TicketKeysPtr keys = TicketKeys::create(t0_);
    QVERIFY(resumesOn(build(keys), build(keys), version));
    // Other keys: the ticket means nothing there (and the session cache is per context).
    QVERIFY(!resumesOn(build(keys), build(TicketKeys::create(t0_)), version));
  }

  void rotationKeepsTheLastKeyForDecryptionOnly() {
    const TicketKeysPtr keys = TicketKeys::create(t0_);
    const ServerContextPtr context = build(keys);
    auto client = makeTestClientContext(0, TLS1_3_VERSION);
    SSL_SESSION* session = nullptr;
    QVERIFY(memoryHandshake(client.get(), context->newSsl(), "site.example", {}, nullptr, &session).ok);
    QVERIFY(session != nullptr);
    const TicketKeys::Key first = keys->current();

    QVERIFY(!keys->rotateIfDue(t0_ + std::chrono::minutes(59), std::chrono::hours(1)));
    QVERIFY(keys->rotateIfDue(t0_ + std::chrono::hours(1), std::chrono::hours(1)));
    QVERIFY(keys->current().name != first.name);
    bool is_current = true;
    QVERIFY(keys->find(first.name.data(), is_current).has_value());
    QVERIFY(!is_current);
    // After one rotation the ticket still resumes.
    const auto once = memoryHandshake(client.get(), context->newSsl(), "site.example", {}, session);
    QVERIFY(once.ok && once.resumed);

    QVERIFY(keys->rotateIfDue(t0_ + std::chrono::hours(2), std::chrono::hours(1)));
    QVERIFY(!keys->find(first.name.data(), is_current).has_value());
    // After two, it is gone: a full handshake.
    const auto twice = memoryHandshake(client.get(), context->newSsl(), "site.example", {}, session);
    QVERIFY(twice.ok);
    QVERIFY(!twice.resumed);
    SSL_SESSION_free(session);
  }

  void listenersDoNotShareSessions() {
    // Same keys object on purpose: the session id context alone must keep them apart.
    const TicketKeysPtr keys = TicketKeys::create(t0_);
    QVERIFY(!resumesOn(build(keys, "public"), build(keys, "admin"), TLS1_2_VERSION));
    QVERIFY(!resumesOn(build(keys, "public"), build(keys, "admin"), TLS1_3_VERSION));
  }
};

QTEST_GUILESS_MAIN(TicketKeysTest)
#include "ticket_keys_test.moc"
