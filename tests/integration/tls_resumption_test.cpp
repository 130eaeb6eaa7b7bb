// TLS session resumption against the running node with two workers: tickets (TLS 1.3 and 1.2) and
// the session-id cache (TLS 1.2 without tickets) resume on later connections, whichever worker
// accepts them; tickets stay valid across a SIGHUP reload (the listener's keys live as long as the
// node); a ticket from one listener never resumes on another (each has its own keys and session
// id context); resumptions are counted.

#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

#include "tests/support/node_process.h"
#include "tests/support/metrics_reader.h"
#include "tests/support/test_certificates.h"
#include "tests/support/tls_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

namespace {

// Connects, makes one request (so TLS 1.3 tickets arrive) and returns the session for later use.
SessionPtr firstSession(int port, const TlsClientOptions& options) {
  TlsClient client;
  if (!client.connect(port, options) || client.get("/").status != 200) {
    return nullptr;
  }
  return client.session();
}

// The ticket a session holds (empty without one).
std::string ticketOf(const SessionPtr& session) {
  const unsigned char* data = nullptr;
  size_t length = 0;
  SSL_SESSION_get0_ticket(session.get(), &data, &length);
  return std::string(reinterpret_cast<const char*>(data), length);
}

// How many of `count` fresh connections offering `session` were resumed.
int resumedOf(int count, int port, TlsClientOptions options, const SessionPtr& session) {
  int resumed = 0;
  for (int i = 0; i < count; ++i) {
    TlsClient client;
    options.resume = session;
    if (client.connect(port, options) && client.get("/").status == 200 && client.resumed()) {
      ++resumed;
    }
  }
  return resumed;
}

}  // namespace

class TlsResumptionTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  NodeProcess node_;
  QString yaml_;
  int port_ = -1;
  int second_port_ = -1;

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    const TestCertificate site =
        writeSelfSigned(dir_.path().toStdString(), "site", "site.example", {"site.example"});
    const std::string tls =
        "    tls:\n      certificates: [{ cert: " + site.cert_path + ", key: " + site.key_path + " }]\n";
    yaml_ = QString::fromStdString(
        "workers: 2\n"
        "listeners:\n"
        "  - name: public\n"
        "    address: 127.0.0.1:0\n" +
        tls +
        "  - name: second\n"
        "    address: 127.0.0.1:0\n" +
        tls +
        "routes:\n"
        "  - name: hello\n"
        "    match: { path_prefix: / }\n"
        "    respond: { status: 200, body: hi }\n"
        "control:\n"
        "  socket: ${TMP}/control.sock\n"
        "  admin_http: 127.0.0.1:0\n");
    QVERIFY2(node_.start(yaml_), qPrintable(node_.output()));
    port_ = node_.port("public");
    second_port_ = node_.port("second");
  }

  // 16 connections over two SO_REUSEPORT workers: the kernel spreads them, and every one resumes.
  void ticketsResumeOnEveryWorker_data() {
    QTest::addColumn<int>("max_version");
    QTest::newRow("TLS 1.3") << TLS1_3_VERSION;
    QTest::newRow("TLS 1.2") << TLS1_2_VERSION;
  }
  void ticketsResumeOnEveryWorker() {
    QFETCH(int, max_version);
    const TlsClientOptions options{.sni = "site.example", .max_version = max_version};
    const SessionPtr session = firstSession(port_, options);
    QVERIFY(session != nullptr);
    QCOMPARE(resumedOf(16, port_, options, session), 16);
  }

  // TLS 1.3 tickets are for one use (RFC 8446 C.4): a resumed connection gets a fresh ticket, so a
  // client that keeps only what its last connection gave it (wrk does) resumes every time instead of
  // every other time. Each reconnection offers the previous one's ticket and gets a new one.
  void aResumedTls13ConnectionGetsAFreshTicket() {
    const TlsClientOptions base{.sni = "site.example"};
    SessionPtr session = firstSession(port_, base);
    QVERIFY(session != nullptr);
    for (int i = 0; i < 8; ++i) {
      TlsClient client;
      TlsClientOptions options = base;
      options.resume = session;
      QVERIFY(client.connect(port_, options));
      QCOMPARE(client.get("/").status, 200);
      QVERIFY2(client.resumed(), qPrintable(QString("reconnection %1 was a full handshake").arg(i + 1)));
      const SessionPtr next = client.session();
      QVERIFY(next != nullptr);
      QVERIFY2(!ticketOf(next).empty() && ticketOf(next) != ticketOf(session),
               qPrintable(QString("reconnection %1 got no fresh ticket").arg(i + 1)));
      session = next;
    }
  }

  void sessionIdCacheResumesWithoutTickets() {
    const TlsClientOptions options{.sni = "site.example", .max_version = TLS1_2_VERSION, .tickets = false};
    const SessionPtr session = firstSession(port_, options);
    QVERIFY(session != nullptr);
    // The session-id cache is in the listener's context, which both workers share.
    QCOMPARE(resumedOf(8, port_, options, session), 8);
  }

  void aTicketSurvivesAReload() {
    const TlsClientOptions options{.sni = "site.example"};
    const SessionPtr session = firstSession(port_, options);
    QVERIFY(session != nullptr);
    QVERIFY(node_.writeConfig(yaml_ + "log:\n  level: info\n"));
    QVERIFY(node_.sendSignal(SIGHUP));
    QVERIFY2(node_.waitForOutput("config reloaded: version 2"), qPrintable(node_.output()));
    QCOMPARE(resumedOf(4, port_, options, session), 4);
  }

  void aTicketDoesNotCrossListeners() {
    const TlsClientOptions options{.sni = "site.example"};
    const SessionPtr session = firstSession(port_, options);
    QVERIFY(session != nullptr);
    QCOMPARE(resumedOf(4, second_port_, options, session), 0);
  }

  void resumptionsAreCounted() {
    QVERIFY(waitUntil(
        [&] { return metricValue(node_.adminPort(), "sluice_tls_resumed_handshakes_total") >= 44; }, 5000));
  }
};

QTEST_GUILESS_MAIN(TlsResumptionTest)
#include "tls_resumption_test.moc"
