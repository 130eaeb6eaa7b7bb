// The resilience keys of the config: upstreams' health_check, circuit_breaker, max_in_flight and
// queue, routes' retries and timeouts; their defaults and their `file:line: message` errors.

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

class ResilienceConfigTest : public QObject {
  Q_OBJECT

 private slots:
  void everyKeyIsRead() {
    LoadResult r = loadConfigText(
        yaml({"upstreams:",
              "  - name: api",
              "    servers: [127.0.0.1:9001]",
              "    health_check: { path: /healthz, host: api.internal, interval: 2s, timeout: 500ms,",
              "                    expect: [200, \"3xx\", 404], rise: 3, fall: 4 }",
              "    circuit_breaker: { consecutive_failures: 7, error_ratio: 0.5, window: 30s, min_requests: 40,",
              "                       cool_down: 20s, half_open_requests: 3, success: 2 }",
              "    max_in_flight: 100",
              "    queue: { size: 50, timeout: 250ms }",
              "routes:",
              "  - name: api",
              "    upstream: api",
              "    retries:",
              "      tries: 3",
              "      on: [connect_error, reset, timeout, 502, 503, 504]",
              "      per_try_timeout: 1s",
              "      backoff: { base: 10ms, max: 1s }",
              "      idempotent_only: false",
              "      budget: { ratio: 0.1, window: 20s, min_per_second: 5 }",
              "    timeouts: { connect: 1s, send: 2s, first_byte: 3s, idle: 4s, total: 5s }"}),
        "t.yaml");
    QVERIFY2(r.ok(), r.errors.empty() ? "" : r.errors[0].str().c_str());
    const UpstreamConfig& u = r.config->upstreams[0];
    QVERIFY(u.health_check.has_value());
    QCOMPARE(u.health_check->path, std::string("/healthz"));
    QCOMPARE(u.health_check->host, std::string("api.internal"));
    QCOMPARE(u.health_check->interval, Duration(2000));
    QCOMPARE(u.health_check->timeout, Duration(500));
    QCOMPARE(u.health_check->expect.size(), size_t(3));
    QVERIFY((u.health_check->expect[1] == StatusRange{300, 399}));
    QVERIFY((u.health_check->expect[2] == StatusRange{404, 404}));
    QCOMPARE(u.health_check->rise, uint32_t(3));
    QCOMPARE(u.health_check->fall, uint32_t(4));
    QVERIFY(u.circuit_breaker.has_value());
    QCOMPARE(u.circuit_breaker->consecutive_failures, uint32_t(7));
    QCOMPARE(u.circuit_breaker->error_ratio, 0.5);
    QCOMPARE(u.circuit_breaker->window, Duration(30000));
    QCOMPARE(u.circuit_breaker->min_requests, uint32_t(40));
    QCOMPARE(u.circuit_breaker->cool_down, Duration(20000));
    QCOMPARE(u.circuit_breaker->half_open_requests, uint32_t(3));
    QCOMPARE(u.circuit_breaker->success, uint32_t(2));
    QCOMPARE(u.max_in_flight, uint32_t(100));
    QCOMPARE(u.queue_size, uint32_t(50));
    QCOMPARE(u.queue_timeout, Duration(250));
    const RouteConfig& route = r.config->routes[0];
    QCOMPARE(route.retries.tries, uint32_t(3));
    QCOMPARE(route.retries.on, uint32_t(kRetryConnectError | kRetryReset | kRetryTimeout | kRetry502 | kRetry503 |
                                        kRetry504));
    QCOMPARE(route.retries.per_try_timeout, Duration(1000));
    QCOMPARE(route.retries.backoff_base, Duration(10));
    QCOMPARE(route.retries.backoff_max, Duration(1000));
    QCOMPARE(route.retries.idempotent_only, false);
    QCOMPARE(route.retries.budget.ratio, 0.1);
    QCOMPARE(route.retries.budget.window, Duration(20000));
    QCOMPARE(route.retries.budget.min_per_second, uint32_t(5));
    QVERIFY(route.retries.configured);
    QCOMPARE(*route.timeouts.connect, Duration(1000));
    QCOMPARE(*route.timeouts.send, Duration(2000));
    QCOMPARE(*route.timeouts.first_byte, Duration(3000));
    QCOMPARE(*route.timeouts.idle, Duration(4000));
    QCOMPARE(*route.timeouts.total, Duration(5000));
  }

  void defaults() {
    LoadResult r = loadConfigText(yaml({"upstreams:",
                                        "  - { name: api, servers: [127.0.0.1:9001], health_check: {},",
                                        "      circuit_breaker: {} }",
                                        "routes:",
                                        "  - { name: api, upstream: api }"}),
                                  "t.yaml");
    QVERIFY2(r.ok(), r.errors.empty() ? "" : r.errors[0].str().c_str());
    const UpstreamConfig& u = r.config->upstreams[0];
    QCOMPARE(u.health_check->path, std::string("/"));
    QVERIFY((u.health_check->expect == std::vector<StatusRange>{{200, 399}}));
    QCOMPARE(u.health_check->rise, uint32_t(2));
    QCOMPARE(u.health_check->fall, uint32_t(3));
    QCOMPARE(u.circuit_breaker->consecutive_failures, uint32_t(5));
    QCOMPARE(u.circuit_breaker->error_ratio, 0.0);
    QCOMPARE(u.max_in_flight, uint32_t(0));
    const RouteConfig& route = r.config->routes[0];
    QCOMPARE(route.retries.tries, uint32_t(2));
    QCOMPARE(route.retries.on, uint32_t(kRetryConnectError));
    QVERIFY(!route.retries.configured);
    QCOMPARE(route.retries.budget.ratio, 0.2);
    QVERIFY(!route.timeouts.total.has_value());
  }

  void badValuesCiteTheirLines() {
    QCOMPARE(errorsOf(yaml({"upstreams:",                                               // 4
                            "  - name: api",                                             // 5
                            "    servers: [127.0.0.1:9001]",                             // 6
                            "    health_check: { path: health, expect: [200, 6xx] }",    // 7
                            "    circuit_breaker: { error_ratio: 1.5, success: 3 }",      // 8
                            "    queue: { size: 1 }",                                    // 9
                            "routes:",                                                   // 10
                            "  - name: api",                                             // 11
                            "    upstream: api",                                         // 12
                            "    retries: { tries: 0, on: [500], budget: { ratio: x } }",  // 13
                            "    timeouts: { total: 0s, read: 1s }"})),                  // 14
             (QStringList{
                 "t.yaml:7: 'path' must start with '/', got 'health'",
                 "t.yaml:7: 'expect' lists statuses like 200 or \"2xx\", got '6xx'",
                 "t.yaml:8: 'error_ratio' must be a number from 0 to 1 (e.g. 0.2), got '1.5'",
                 "t.yaml:8: 'success' (3) cannot exceed 'half_open_requests' (1)",
                 "t.yaml:9: 'queue' needs 'max_in_flight'",
                 "t.yaml:13: 'tries' must be 1..10, got 0",
                 "t.yaml:13: 'on' must be connect_error, reset, timeout, 502, 503 or 504, got '500' (did you mean '502'?)",
                 "t.yaml:13: 'ratio' must be a number from 0 to 1 (e.g. 0.2), got 'x'",
                 "t.yaml:14: unknown key 'read' (did you mean 'send'?)",
                 "t.yaml:14: 'total' must be more than 0s, got 0s",
             }));
  }
};

QTEST_GUILESS_MAIN(ResilienceConfigTest)
#include "resilience_config_test.moc"
