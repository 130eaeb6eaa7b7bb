// Config errors: every problem reported as `file:line: message`, all of them, in line order.

#include "engine/config/config_loader.h"

#include <QtTest>

#include "tests/unit/config/config_errors.h"

using sluice::config::loadConfigText;
using sluice::config::LoadResult;
using sluice::test::errorsOf;

namespace {

// Joins lines with '\n' so that the Nth string is line N of the file.
std::string yaml(std::initializer_list<std::string_view> lines) {
  std::string out;
  for (std::string_view line : lines) {
    out += line;
    out += '\n';
  }
  return out;
}

// Lines 1-3 of most cases: one valid listener.
constexpr std::string_view kL1 = "listeners:";
constexpr std::string_view kL2 = "  - name: plain";
constexpr std::string_view kL3 = "    address: 127.0.0.1:0";

}  // namespace

class ConfigLoaderTest : public QObject {
  Q_OBJECT

 private slots:
  void minimalConfigLoads() {
    LoadResult result = loadConfigText(yaml({kL1, kL2, kL3}), "t.yaml");
    QVERIFY(result.ok());
    QVERIFY(result.errors.empty());
    QCOMPARE(result.config->source, std::string("t.yaml"));
    QVERIFY(result.config->workers >= 1);
    QVERIFY(!result.config->node_name.empty());
    QVERIFY(result.config->routes.empty());
  }

  void unknownKeySuggestsNearest() {
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "upstreem:", "  - name: api", "    servers: [10.0.0.1:80]"})),
             QStringList{"t.yaml:4: unknown key 'upstreem' (did you mean 'upstreams'?)"});
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "upstreams:", "  - name: api", "    servers: [10.0.0.1:80]",
                            "    keepalvie: 8"})),
             QStringList{"t.yaml:7: unknown key 'keepalvie' (did you mean 'keepalive'?)"});
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "foo: 1"})), QStringList{"t.yaml:4: unknown key 'foo'"});
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "limits: { max_headerz: 10, idle: 5s }"})),
             (QStringList{"t.yaml:4: unknown key 'max_headerz' (did you mean 'max_headers'?)",
                          "t.yaml:4: unknown key 'idle'"}));
  }

  void duplicateKey() {
    QCOMPARE(errorsOf(yaml({"workers: 2", kL1, kL2, kL3, "workers: 3"})),
             QStringList{"t.yaml:5: duplicate key 'workers' (first at line 1)"});
  }

  void badDuration() {
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "upstreams:", "  - name: api", "    servers: [10.0.0.1:80]",
                            "    connect_timeout: 5", "    response_timeout: 5x", "    fail_timeout: 0s"})),
             (QStringList{"t.yaml:7: bad duration '5': use a unit, e.g. 5s",
                          "t.yaml:8: bad duration '5x': use e.g. 250ms, 30s, 1m30s, 1h or 1d",
                          "t.yaml:9: 'fail_timeout' must be more than 0s, got 0s"}));
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "shutdown_grace: 30s1m"})),
             QStringList{"t.yaml:4: bad duration '30s1m': use e.g. 250ms, 30s, 1m30s, 1h or 1d"});
  }

  void badSize() {
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "cache:", "  max_size: 12XB"})),
             QStringList{"t.yaml:5: bad size '12XB': use bytes or a unit, e.g. 512, 16KiB, 1MiB, 1GiB"});
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "limits:", "  max_header_size: 2MiB", "  max_uri_size: 100"})),
             QStringList{"t.yaml:5: 'max_header_size' must be 1KiB..1MiB, got 2MiB"});
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "limits:", "  max_header_size: 8KiB", "  max_uri_size: 16k"})),
             QStringList{"t.yaml:6: 'max_uri_size' (16KiB) must not be more than 'max_header_size' (8KiB)"});
  }

  void typeErrors() {
    QCOMPARE(
        errorsOf(yaml({kL1, kL2, kL3, "upstreams:", "  - name: api", "    servers: [10.0.0.1:80]",
                       "    keepalive: abc", "    max_fails: 0", "    balance: [round_robin]"})),
        (QStringList{"t.yaml:7: 'keepalive' must be an integer, got 'abc'",
                     "t.yaml:8: 'max_fails' must be 1..1000, got 0",
                     "t.yaml:9: 'balance' must be round_robin, least_conn or consistent_hash, got a list"}));
    QCOMPARE(errorsOf(yaml({"workers: many", kL1, kL2, kL3, "node_name:"})),
             (QStringList{"t.yaml:1: 'workers' must be an integer or auto, got 'many'",
                          "t.yaml:5: 'node_name' has no value"}));
    QCOMPARE(errorsOf(yaml({"workers: 0", kL1, kL2, kL3, "log: { level: verbose, access_log: stdot }"})),
             (QStringList{
                 "t.yaml:1: 'workers' must be 1..1024, got 0",
                 "t.yaml:5: 'access_log' must be stdout, off or a file path containing a '/', got 'stdot'",
                 "t.yaml:5: 'level' must be debug, info, warn or error, got 'verbose'"}));
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "upstreams:", "  - name: api", "    servers: [10.0.0.1:80]",
                            "    balance: round_robbin"})),
             QStringList{"t.yaml:7: 'balance' must be round_robin, least_conn or consistent_hash, got "
                         "'round_robbin' (did you mean 'round_robin'?)"});
  }

  void routeNamesMissingUpstream() {
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "upstreams:", "  - name: api", "    servers: [10.0.0.1:80]",
                            "routes:", "  - name: api", "    match: { path_prefix: /v1/ }",
                            "    upstream: apii"})),
             QStringList{"t.yaml:10: route 'api': upstream 'apii' is not defined"});
    // Sections are read in dependency order whatever their order in the file.
    QCOMPARE(errorsOf(yaml({"routes:", "  - name: api", "    upstream: api", "    cache: short",
                            "    rate_limits: [per_ip, nope]", kL1, kL2, kL3, "upstreams:", "  - name: api",
                            "    servers: [10.0.0.1:80]", "rate_limits:", "  - { name: per_ip, limit: 10 }",
                            "cache_policies:", "  - name: long"})),
             (QStringList{"t.yaml:4: route 'api': cache policy 'short' is not defined",
                          "t.yaml:5: route 'api': rate limit 'nope' is not defined"}));
  }

  void duplicateNames() {
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "  - name: plain", "    address: 127.0.0.1:0",
                            "upstreams:", "  - { name: api, servers: [a.internal:80] }",
                            "  - { name: api, servers: [b.internal:80] }", "routes:",
                            "  - { name: r, handler: status }", "  - { name: r, handler: status }"})),
             (QStringList{"t.yaml:4: duplicate listener name 'plain' (first defined at line 2)",
                          "t.yaml:8: duplicate upstream name 'api' (first defined at line 7)",
                          "t.yaml:11: duplicate route name 'r' (first defined at line 10)"}));
  }

  void duplicateAddresses() {
    QCOMPARE(
        errorsOf(yaml({"listeners:", "  - { name: a, address: '[::1]:8080' }",
                       "  - { name: b, address: '[0::1]:8080' }", "  - { name: c, address: '127.0.0.1:0' }",
                       "  - { name: d, address: '127.0.0.1:0' }", "control:", "  admin_http: '[::1]:8080'",
                       "upstreams:", "  - { name: u, servers: [h:1, h:1] }"})),
        (QStringList{"t.yaml:3: listener 'b': address [0::1]:8080 is already used by listener 'a'",
                     "t.yaml:6: 'admin_http' [::1]:8080 is already used by listener 'a'",
                     "t.yaml:9: upstream 'u': server h:1 is listed twice"}));
  }

  void badAddress() {
    QCOMPARE(errorsOf(yaml({"listeners:", "  - name: plain", "    address: localhost:8080", "  - name: v6",
                            "    address: ::1:8080", "upstreams:", "  - name: api",
                            "    servers: [10.0.0.1:0, 'bad_host:80', backend:99999]"})),
             (QStringList{
                 "t.yaml:3: bad address 'localhost:8080': host must be a numeric IP address, got 'localhost'",
                 "t.yaml:5: bad address '::1:8080': write an IPv6 address in brackets, e.g. [::1]:8080",
                 "t.yaml:8: bad address '10.0.0.1:0': port must be 1..65535",
                 "t.yaml:8: bad address 'bad_host:80': 'bad_host' is not a valid host name or IP address",
                 "t.yaml:8: bad address 'backend:99999': port must be 1..65535"}));
  }

  void missingRequiredKeys() {
    QCOMPARE(errorsOf(yaml({"workers: 2"})), QStringList{"t.yaml:1: missing required key 'listeners'"});
    QCOMPARE(errorsOf(yaml({"listeners: []"})),
             QStringList{"t.yaml:1: 'listeners' must list at least one listener"});
    QCOMPARE(errorsOf(yaml({"listeners:", "  - name: plain", "  - address: 127.0.0.1:0",
                            "upstreams:", "  - name: api", "  - name: empty", "    servers: []",
                            "rate_limits:", "  - name: per_ip", "routes:", "  - name: nothing",
                            "    match: { path_prefix: / }"})),
             (QStringList{"t.yaml:2: listener 'plain': missing required key 'address'",
                          "t.yaml:3: listener: missing required key 'name'",
                          "t.yaml:5: upstream 'api': missing required key 'servers'",
                          "t.yaml:7: upstream 'empty': 'servers' must list at least one server",
                          "t.yaml:9: rate limit 'per_ip': missing required key 'limit'",
                          "t.yaml:11: route 'nothing': needs one of 'upstream', 'respond' or 'handler'"}));
    QCOMPARE(errorsOf(""), QStringList{"t.yaml: the config is empty: at least one listener is required"});
  }

  void routeChecks() {
    QCOMPARE(
        errorsOf(yaml({kL1, kL2, kL3, "routes:", "  - name: both", "    match:", "      path_prefix: /a/",
                       "      path_exact: /a", "    handler: status", "  - name: two", "    handler: status",
                       "    respond: { status: 700 }", "  - name: bad",
                       "    match: { host: 'api example.com', path_prefix: v1 }", "    handler: health",
                       "    rate_limits: per_ip"})),
        (QStringList{"t.yaml:8: 'path_prefix' and 'path_exact' are exclusive: use one",
                     "t.yaml:12: route 'two': 'handler' and 'respond' are exclusive: use one",
                     "t.yaml:14: bad host 'api example.com': use a name like api.example.com or "
                     "*.example.com, without a port",
                     "t.yaml:14: 'path_prefix' must start with '/' and hold no spaces, '?' or '#', got 'v1'",
                     "t.yaml:15: 'handler' must be status, got 'health'",
                     "t.yaml:16: 'rate_limits' must be a list, got 'per_ip'"}));
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "routes:", "  - name: r", "    respond: { status: 700 }",
                            "  - name: 'a b'", "    handler: status"})),
             (QStringList{"t.yaml:6: 'status' must be 200..599, got 700",
                          "t.yaml:7: bad route name 'a b': use letters, digits, '_', '-' and '.'"}));
  }

  void policyChecks() {
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "rate_limits:", "  - name: x", "    algorithm: leaky_bucket",
                            "    key: 'header:'", "    limit: 0", "    window: 0s", "    burst: -1",
                            "cache_policies:", "  - name: p", "    default_ttl: 2h", "    max_ttl: 1h"})),
             (QStringList{"t.yaml:6: 'algorithm' must be token_bucket, sliding_window or fixed_window, got "
                          "'leaky_bucket'",
                          "t.yaml:7: 'key' must be client_ip, route or header:NAME, got 'header:'",
                          "t.yaml:8: 'limit' must be 1..1000000000, got 0",
                          "t.yaml:9: 'window' must be more than 0s, got 0s",
                          "t.yaml:10: 'burst' must be 0..1000000000, got -1",
                          "t.yaml:13: cache policy 'p': 'default_ttl' (2h) is more than 'max_ttl' (1h)"}));
  }

  // The block itself is covered by tls_config_test; here: it is read, not ignored.
  void listenerTlsIsReadNotIgnored() {
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "    tls: { certificates: [] }"})),
             QStringList{"t.yaml:4: listener 'plain': 'certificates' must list at least one {cert, key}"});
  }

  void yamlSyntaxError() {
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "upstreams: [ { name: a,", "routes: []"})),
             QStringList{"t.yaml:6: yaml syntax error: end of map flow not found"});
    QCOMPARE(errorsOf(yaml({kL1, kL2, "    address: 127.0.0.1:0: x"})),
             QStringList{"t.yaml:3: yaml syntax error: illegal map value"});
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "---", "workers: 1"})),
             QStringList{"t.yaml:4: only one YAML document is allowed (remove the '---')"});
  }

  void strayCommaIsAnErrorNotAHang() {
    // yaml-cpp 0.7's LoadAll never returns on these inputs (the loader must not use it).
    for (const char* text : {",", "{},", "[],"}) {
      QVERIFY2(!errorsOf(text).isEmpty(), text);
    }
  }

  void notAMap() {
    QCOMPARE(errorsOf(yaml({"- a", "- b"})),
             QStringList{"t.yaml:1: the config must be a map of keys (listeners, routes, ...), got a list"});
    QCOMPARE(errorsOf(yaml({kL1, "  - plain"})),
             QStringList{"t.yaml:2: each listener must be a map of keys, got 'plain'"});
    QCOMPARE(errorsOf(yaml({kL1, kL2, kL3, "limits: 5"})),
             QStringList{"t.yaml:4: 'limits' must be a map of keys, got '5'"});
  }

  void collectsAllErrorsInLineOrder() {
    // Found in section order (listeners, upstreams, ..., routes last); reported in line order.
    QCOMPARE(errorsOf(yaml({"routes:",                     // 1
                            "  - name: api",               // 2
                            "    upstream: missing",       // 3
                            "limits:",                     // 4
                            "  idle_timeout: 10",          // 5
                            "upstreams:",                  // 6
                            "  - name: api",               // 7
                            "    servers: [10.0.0.1:80]",  // 8
                            "    keepalive: -1",           // 9
                            "listeners:",                  // 10
                            "  - name: plain",             // 11
                            "    address: 127.0.0.1",      // 12
                            "workerz: 2"})),               // 13
             (QStringList{"t.yaml:3: route 'api': upstream 'missing' is not defined",
                          "t.yaml:5: bad duration '10': use a unit, e.g. 10s",
                          "t.yaml:9: 'keepalive' must be 0..100000, got -1",
                          "t.yaml:12: bad address '127.0.0.1': expected HOST:PORT",
                          "t.yaml:13: unknown key 'workerz' (did you mean 'workers'?)"}));
  }

  void errorStringWithoutLine() {
    sluice::config::ConfigError error{"f.yaml", 0, "cannot read: x"};
    QCOMPARE(error.str(), std::string("f.yaml: cannot read: x"));
    error.line = 7;
    QCOMPARE(error.str(), std::string("f.yaml:7: cannot read: x"));
  }
};

QTEST_APPLESS_MAIN(ConfigLoaderTest)
#include "config_loader_test.moc"
