// The rate-limit parts of the config: rate_limits entries, rate_limit_table, trusted_proxies and
// listeners' max_connections_per_ip, with their `file:line: message` errors.

#include <QtTest>

#include "engine/config/config_loader.h"
#include "tests/unit/config/config_errors.h"

using namespace sluice::config;
using sluice::test::errorsOf;

namespace {

std::string yaml(std::initializer_list<std::string_view> lines) {
  std::string out = "listeners:\n  - name: plain\n    address: 127.0.0.1:0\n";  // lines 1-3
  for (std::string_view line : lines) {
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace

class RateLimitConfigTest : public QObject {
  Q_OBJECT

 private slots:
  void everyKeyIsRead() {
    LoadResult r = loadConfigText(yaml({"trusted_proxies: [10.0.0.0/8, '2001:db8::/32', 127.0.0.1]",
                                        "rate_limit_table: { max_keys: 5000, idle_timeout: 2m }",
                                        "rate_limits:",
                                        "  - name: per_key",
                                        "    key: header:X-Api-Key",
                                        "    algorithm: sliding_window",
                                        "    limit: 50",
                                        "    window: 10s",
                                        "    mode: dry_run",
                                        "    headers: false",
                                        "    fallback: per_ip",
                                        "    max_in_flight: 10",
                                        "    in_flight_status: 503",
                                        "  - name: per_ip",
                                        "    limit: 100",
                                        "    ipv6_prefix: 56",
                                        "    ipv4_prefix: 24",
                                        "  - name: conc",
                                        "    key: header:x-user",
                                        "    max_in_flight: 2",
                                        "    missing_key_status: 401"}),
                                  "t.yaml");
    QVERIFY2(r.ok(), r.errors.empty() ? "" : r.errors[0].str().c_str());
    const Config& c = *r.config;
    QCOMPARE(c.trusted_proxies.size(), size_t(3));
    QCOMPARE(c.trusted_proxies[2].prefix, uint8_t(32));
    QCOMPARE(c.rate_limit_table.max_keys, uint64_t(5000));
    QCOMPARE(c.rate_limit_table.idle_timeout, Duration(std::chrono::minutes(2)));
    const RateLimitConfig& k = c.rate_limits[0];
    QCOMPARE(k.key, std::string("header:x-api-key"));
    QCOMPARE(k.mode, RateLimitMode::DryRun);
    QCOMPARE(k.headers, false);
    QCOMPARE(k.fallback, std::string("per_ip"));
    QCOMPARE(k.max_in_flight, uint64_t(10));
    QCOMPARE(k.in_flight_status, 503);
    QCOMPARE(k.missing_key_status, 400);
    const RateLimitConfig& ip = c.rate_limits[1];
    QCOMPARE(ip.mode, RateLimitMode::Enforce);
    QCOMPARE(ip.headers, true);
    QCOMPARE(ip.ipv6_prefix, uint32_t(56));
    QCOMPARE(ip.ipv4_prefix, uint32_t(24));
    QCOMPARE(c.rate_limits[2].limit, uint64_t(0));  // concurrency only
    QCOMPARE(c.rate_limits[2].missing_key_status, 401);
  }

  void defaults() {
    LoadResult r = loadConfigText(yaml({"rate_limits:", "  - { name: a, limit: 1 }"}), "t.yaml");
    QVERIFY(r.ok());
    QCOMPARE(r.config->rate_limit_table.max_keys, uint64_t(1'000'000));
    QCOMPARE(r.config->rate_limit_table.idle_timeout, Duration(std::chrono::minutes(10)));
    QVERIFY(r.config->trusted_proxies.empty());
    QCOMPARE(r.config->rate_limits[0].ipv6_prefix, uint32_t(64));
    QCOMPARE(r.config->rate_limits[0].in_flight_status, 429);
    QCOMPARE(r.config->listeners[0].max_connections_per_ip, uint32_t(0));
  }

  void badValuesCiteTheirLines() {
    QCOMPARE(errorsOf(yaml({"rate_limits:",                        // 4
                            "  - name: a",                          // 5
                            "    limit: 0",                         // 6
                            "    mode: enforced",                   // 7
                            "    headers: yes",                     // 8
                            "    ipv6_prefix: 129",                 // 9
                            "    fallback: b",                      // 10
                            "    in_flight_status: 500",            // 11
                            "    max_in_flight: 0"})),              // 12
             (QStringList{"t.yaml:6: 'limit' must be 1..1000000000, got 0",
                          "t.yaml:7: 'mode' must be enforce or dry_run, got 'enforced' (did you mean 'enforce'?)",
                          "t.yaml:8: 'headers' must be true or false, got 'yes'",
                          "t.yaml:9: 'ipv6_prefix' must be 1..128, got 129",
                          "t.yaml:10: rate limit 'a': 'fallback' applies only to header:NAME keys",
                          "t.yaml:10: rate limit 'a': fallback 'b' is not defined",
                          "t.yaml:11: rate limit 'a': 'in_flight_status' must be 429 or 503, got 500",
                          "t.yaml:12: 'max_in_flight' must be 1..1000000, got 0"}));
  }

  void keySpecificSettingsOnOtherKeys() {
    QCOMPARE(errorsOf(yaml({"rate_limits:", "  - name: a", "    key: route", "    limit: 1", "    ipv4_prefix: 24",
                            "    missing_key_status: 401"})),
             (QStringList{"t.yaml:8: rate limit 'a': 'ipv4_prefix' applies only to the client_ip key",
                          "t.yaml:9: rate limit 'a': 'missing_key_status' applies only to header:NAME keys"}));
  }

  void fallbackLoops() {
    QCOMPARE(errorsOf(yaml({"rate_limits:", "  - { name: a, key: 'header:x-a', limit: 1, fallback: b }",
                            "  - { name: b, key: 'header:x-b', limit: 1, fallback: a }",
                            "  - { name: c, key: 'header:x-c', limit: 1, fallback: c }"})),
             (QStringList{"t.yaml:5: rate limit 'a': fallback loop a -> b -> a",
                          "t.yaml:6: rate limit 'b': fallback loop b -> a -> b",
                          "t.yaml:7: rate limit 'c': fallback loop c -> c"}));
  }

  void neitherLimitNorMaxInFlight() {
    QCOMPARE(errorsOf(yaml({"rate_limits:", "  - name: a", "    window: 1s"})),
             QStringList{"t.yaml:5: rate limit 'a': missing required key 'limit'"});
  }

  void badTrustedProxies() {
    QCOMPARE(errorsOf(yaml({"trusted_proxies:", "  - 10.0.0.1/8", "  - 10.0.0.0/33", "  - proxy.local",
                            "  - '::1/129'"})),
             (QStringList{"t.yaml:5: bad CIDR '10.0.0.1/8' in 'trusted_proxies': host bits are set below the "
                          "prefix (did you mean 10.0.0.0/8?)",
                          "t.yaml:6: bad CIDR '10.0.0.0/33' in 'trusted_proxies': the prefix length must be 0..32",
                          "t.yaml:7: bad CIDR 'proxy.local' in 'trusted_proxies': not a numeric IPv4 or IPv6 "
                          "address",
                          "t.yaml:8: bad CIDR '::1/129' in 'trusted_proxies': the prefix length must be 0..128"}));
    QCOMPARE(errorsOf(yaml({"trusted_proxies: 10.0.0.0/8"})),
             QStringList{"t.yaml:4: 'trusted_proxies' must be a list, got '10.0.0.0/8'"});
  }

  void badTable() {
    QCOMPARE(errorsOf(yaml({"rate_limit_table:", "  max_keys: 0", "  idle_timeout: 2d", "  size: 1"})),
             (QStringList{"t.yaml:5: 'max_keys' must be 1..100000000, got 0",
                          "t.yaml:6: 'idle_timeout' must be at most 1d, got 2d",
                          "t.yaml:7: unknown key 'size'"}));
  }

  void listenerConnectionLimit() {
    LoadResult r = loadConfigText(
        "listeners:\n  - name: plain\n    address: 127.0.0.1:0\n    max_connections_per_ip: 100\n", "t.yaml");
    QVERIFY(r.ok());
    QCOMPARE(r.config->listeners[0].max_connections_per_ip, uint32_t(100));
    QCOMPARE(errorsOf("listeners:\n  - name: plain\n    address: 127.0.0.1:0\n    max_connections_per_ip: -1\n"),
             QStringList{"t.yaml:4: 'max_connections_per_ip' must be 0..10000000, got -1"});
  }
};

QTEST_GUILESS_MAIN(RateLimitConfigTest)
#include "rate_limit_config_test.moc"
