// Which key a request counts against: header keys (missing → fallback policy, or refused with the
// configured status), client_ip behind trusted proxies (X-Forwarded-For walked from the right)
// and without them (X-Forwarded-For ignored), IPv6 clients grouped by their /64.

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/raw_http_client.h"

using namespace sluice::test;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

int statusOf(int port, const QByteArray& path, const Headers& headers = {}, const QString& host = "127.0.0.1") {
  RawHttpClient client;
  if (!client.connect(port, host)) {
    return -1;
  }
  client.send(buildRequest("GET", path, headers));
  return client.readResponse().status;
}

// How many of `n` requests pass.
int passed(int port, const QByteArray& path, const Headers& headers, int n = 5) {
  int ok = 0;
  for (int i = 0; i < n; ++i) {
    ok += statusOf(port, path, headers) == 200 ? 1 : 0;
  }
  return ok;
}

}  // namespace

class RateLimitKeysTest : public QObject {
  Q_OBJECT

 private:
  NodeProcess node_;
  int port_ = -1;

 private slots:
  void initTestCase() {
    const QString yaml = QStringLiteral(
        "workers: 2\n"
        "listeners:\n"
        "  - { name: plain, address: 127.0.0.1:0 }\n"
        "  - { name: v6, address: '[::1]:0' }\n"
        "control: { socket: ${TMP}/control.sock }\n"
        "log: { access_log: 'off' }\n"
        "trusted_proxies: [127.0.0.1/32, 10.0.0.0/8]\n"
        "rate_limits:\n"
        "  - { name: per_key, key: 'header:X-Api-Key', algorithm: fixed_window, limit: 2, window: 10h, fallback: anon }\n"
        "  - { name: anon, key: client_ip, algorithm: fixed_window, limit: 1, window: 10h }\n"
        "  - { name: strict_key, key: 'header:X-Api-Key', limit: 5, window: 10h, missing_key_status: 401 }\n"
        "  - { name: by_ip, key: client_ip, algorithm: fixed_window, limit: 2, window: 10h }\n"
        "  - { name: by_net, key: client_ip, algorithm: fixed_window, limit: 2, window: 10h, ipv4_prefix: 24 }\n"
        "routes:\n"
        "  - { name: keyed, match: { path_exact: /keyed }, respond: { body: ok }, rate_limits: [per_key] }\n"
        "  - { name: strict, match: { path_exact: /strict }, respond: { body: ok }, rate_limits: [strict_key] }\n"
        "  - { name: ip, match: { path_exact: /ip }, respond: { body: ok }, rate_limits: [by_ip] }\n"
        "  - { name: net, match: { path_exact: /net }, respond: { body: ok }, rate_limits: [by_net] }\n");
    QVERIFY2(node_.start(yaml), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
  }

  void eachHeaderValueIsItsOwnKey() {
    QCOMPARE(passed(port_, "/keyed", {{"X-Api-Key", "alice"}}), 2);
    QCOMPARE(passed(port_, "/keyed", {{"x-api-key", "bob"}}), 2);
  }

  void missingHeaderFallsBackToAnotherPolicy() {
    // No key: counted by `anon` (1 per client address) instead.
    QCOMPARE(passed(port_, "/keyed", {}), 1);
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    client.send(buildRequest("GET", "/keyed"));
    const HttpResponse r = client.readResponse();
    QCOMPARE(r.status, 429);
    QCOMPARE(QJsonDocument::fromJson(r.body).object().value("policy").toString(), QStringLiteral("anon"));
  }

  void missingHeaderWithoutFallbackIsRefused() {
    const HttpResponse r = RawHttpClient::exchange(port_, buildRequest("GET", "/strict"));
    QCOMPARE(r.status, 401);
    QCOMPARE(r.header("Content-Type"), QByteArray("application/problem+json"));
    QVERIFY(!r.hasHeader("Retry-After"));
    const QJsonObject problem = QJsonDocument::fromJson(r.body).object();
    QCOMPARE(problem.value("type").toString(), QStringLiteral("urn:sluice:problem:rate-limit-key-missing"));
    QCOMPARE(problem.value("status").toInt(), 401);
    QCOMPARE(problem.value("policy").toString(), QStringLiteral("strict_key"));
    QVERIFY(problem.value("detail").toString().contains("x-api-key"));
    QCOMPARE(statusOf(port_, "/strict", {{"X-Api-Key", "k"}}), 200);
  }

  void trustedProxyForwardsTheClient() {
    // The peer 127.0.0.1 is trusted: each forwarded client has its own count...
    QCOMPARE(passed(port_, "/ip", {{"X-Forwarded-For", "203.0.113.1"}}), 2);
    QCOMPARE(passed(port_, "/ip", {{"X-Forwarded-For", "203.0.113.2"}}), 2);
    // ...the rightmost untrusted hop is the client, whatever a client wrote to its left...
    QCOMPARE(passed(port_, "/ip", {{"X-Forwarded-For", "1.1.1.1, 203.0.113.3, 10.0.0.5"}}), 2);
    QCOMPARE(passed(port_, "/ip", {{"X-Forwarded-For", "9.9.9.9, 203.0.113.3"}}), 0);
    // ...and IPv4 clients can be grouped by prefix.
    QCOMPARE(passed(port_, "/net", {{"X-Forwarded-For", "198.51.100.1"}}), 2);
    QCOMPARE(passed(port_, "/net", {{"X-Forwarded-For", "198.51.100.200"}}), 0);
    QCOMPARE(passed(port_, "/net", {{"X-Forwarded-For", "198.51.101.1"}}), 2);
  }

  void untrustedPeerIsNotBelieved() {
    // ::1 is not a trusted proxy: its X-Forwarded-For is ignored, every value counts as ::1.
    const int v6 = node_.port(QStringLiteral("v6"));
    QVERIFY(v6 > 0);
    int ok = 0;
    for (int i = 0; i < 4; ++i) {
      const QByteArray forwarded = "203.0.113." + QByteArray::number(50 + i);
      ok += statusOf(v6, "/ip", {{"X-Forwarded-For", forwarded}}, QStringLiteral("::1")) == 200 ? 1 : 0;
    }
    QCOMPARE(ok, 2);
  }

  void ipv6ClientsAreGroupedByTheirSlash64() {
    // Forwarded IPv6 clients: two addresses in one /64 share a count, another /64 has its own.
    QCOMPARE(passed(port_, "/ip", {{"X-Forwarded-For", "2001:db8:1:1::1"}}, 1), 1);
    QCOMPARE(passed(port_, "/ip", {{"X-Forwarded-For", "2001:db8:1:1:ffff::2"}}, 2), 1);
    QCOMPARE(passed(port_, "/ip", {{"X-Forwarded-For", "2001:db8:1:2::1"}}), 2);
  }
};

QTEST_GUILESS_MAIN(RateLimitKeysTest)
#include "rate_limit_keys_test.moc"
