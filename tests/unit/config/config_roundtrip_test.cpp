// Valid configs: every field of the schema read into the Config model, defaults, the embedded default.

#include <QtTest>

#include "default_config.h"
#include "engine/config/config_loader.h"

using namespace std::chrono_literals;
using namespace sluice::config;

namespace {

constexpr const char* kFullConfig = R"(workers: 3
shutdown_grace: 1m30s
node_name: edge-1
listeners:
  - name: public
    address: 0.0.0.0:8443
  - name: v6
    address: '[::1]:0'
upstreams:
  - name: api
    servers: [127.0.0.1:9001, 'backend.internal:9002', '[::1]:9003']
    balance: least_conn
    keepalive: 64
    connect_timeout: 250ms
    response_timeout: 1m
    max_fails: 5
    fail_timeout: 20s
  - name: hashed
    servers: [10.0.0.9:80]
    balance: consistent_hash
routes:
  - name: api
    match: { host: API.Example.com, path_prefix: /v1/ }
    upstream: api
    cache: short
    rate_limits: [per_ip, per_key]
    max_body_size: 10MiB
  - name: health
    match: { host: '*.example.com', path_exact: /healthz }
    respond: { status: 204, body: '', content_type: text/plain }
    max_body_size: 0
  - name: status
    handler: status
rate_limits:
  - name: per_ip
    algorithm: sliding_window
    key: client_ip
    limit: 100
    window: 1m
    burst: 20
  - name: per_key
    algorithm: fixed_window
    key: header:X-Api-Key
    limit: 5
    window: 1s
  - name: per_route
    key: route
    limit: 1
cache_policies:
  - name: short
    default_ttl: 60s
    max_ttl: 1h
    stale_while_revalidate: 30s
    stale_if_error: 5m
cache:
  path: /var/lib/sluice/cache
  max_size: 2GiB
limits:
  max_header_size: 32KiB
  max_uri_size: 4k
  max_headers: 50
  max_body_size: 2MB
  header_timeout: 5s
  body_timeout: 30s
  idle_timeout: 2m
  send_timeout: 45s
  max_connections: 500
  max_requests_per_connection: 1000
control:
  socket: /run/sluice/control.sock
  admin_http: 127.0.0.1:9901
log:
  access_log: /var/log/sluice/access.log
  level: debug
)";

}  // namespace

class ConfigRoundtripTest : public QObject {
  Q_OBJECT

 private slots:
  void readsEveryField() {
    LoadResult result = loadConfigText(kFullConfig, "full.yaml");
    for (const ConfigError& error : result.errors) {
      qWarning("%s", error.str().c_str());
    }
    QVERIFY(result.ok());
    const Config& c = *result.config;
    QCOMPARE(c.source, std::string("full.yaml"));
    QCOMPARE(c.workers, 3u);
    QCOMPARE(c.shutdown_grace, Duration(90s));
    QCOMPARE(c.node_name, std::string("edge-1"));

    QCOMPARE(c.listeners.size(), size_t(2));
    QCOMPARE(c.listeners[0].name, std::string("public"));
    QCOMPARE(c.listeners[0].address.host, std::string("0.0.0.0"));
    QCOMPARE(c.listeners[0].address.port, uint16_t(8443));
    QCOMPARE(c.listeners[0].where.file, std::string("full.yaml"));
    QCOMPARE(c.listeners[0].where.line, 5);
    QCOMPARE(c.listeners[1].address.host, std::string("::1"));
    QCOMPARE(c.listeners[1].address.port, uint16_t(0));
    QCOMPARE(c.listeners[1].address.text, std::string("[::1]:0"));
    QCOMPARE(c.listeners[1].where.line, 7);

    QCOMPARE(c.upstreams.size(), size_t(2));
    const UpstreamConfig& api = c.upstreams[0];
    QCOMPARE(api.name, std::string("api"));
    QCOMPARE(api.servers.size(), size_t(3));
    QCOMPARE(api.servers[1].host, std::string("backend.internal"));
    QCOMPARE(api.servers[1].port, uint16_t(9002));
    QCOMPARE(api.servers[2].host, std::string("::1"));
    QCOMPARE(api.balance, Balance::LeastConn);
    QCOMPARE(api.keepalive, 64u);
    QCOMPARE(api.connect_timeout, Duration(250ms));
    QCOMPARE(api.response_timeout, Duration(1min));
    QCOMPARE(api.max_fails, 5u);
    QCOMPARE(api.fail_timeout, Duration(20s));
    QCOMPARE(api.where.line, 10);
    QCOMPARE(c.upstreams[1].balance, Balance::ConsistentHash);
    QCOMPARE(c.upstreams[1].keepalive, 32u);  // defaults where omitted
    QCOMPARE(c.upstreams[1].max_fails, 3u);
    QCOMPARE(c.findUpstream("hashed"), &c.upstreams[1]);
    QVERIFY(c.findUpstream("nope") == nullptr);

    QCOMPARE(c.routes.size(), size_t(3));
    const RouteConfig& r0 = c.routes[0];
    QCOMPARE(r0.name, std::string("api"));
    QCOMPARE(r0.match.host, std::string("api.example.com"));  // lowercased
    QCOMPARE(r0.match.path_prefix, std::string("/v1/"));
    QCOMPARE(r0.match.path_exact, std::string());
    QCOMPARE(r0.handler, RouteHandler::Proxy);
    QCOMPARE(r0.upstream, std::string("api"));
    QCOMPARE(r0.cache, std::string("short"));
    QCOMPARE(r0.rate_limits, (std::vector<std::string>{"per_ip", "per_key"}));
    QCOMPARE(r0.max_body_size, std::optional<uint64_t>(10ull << 20));
    QCOMPARE(r0.where.line, 22);
    const RouteConfig& r1 = c.routes[1];
    QCOMPARE(r1.match.host, std::string("*.example.com"));
    QCOMPARE(r1.match.path_exact, std::string("/healthz"));
    QCOMPARE(r1.handler, RouteHandler::Respond);
    QCOMPARE(r1.respond.status, 204);
    QCOMPARE(r1.respond.body, std::string());
    QCOMPARE(r1.respond.content_type, std::string("text/plain"));
    QCOMPARE(r1.max_body_size, std::optional<uint64_t>(0));
    QCOMPARE(c.routes[2].handler, RouteHandler::Status);
    QCOMPARE(c.routes[2].max_body_size, std::optional<uint64_t>());

    QCOMPARE(c.rate_limits.size(), size_t(3));
    QCOMPARE(c.rate_limits[0].algorithm, RateLimitAlgorithm::SlidingWindow);
    QCOMPARE(c.rate_limits[0].key, std::string("client_ip"));
    QCOMPARE(c.rate_limits[0].limit, uint64_t(100));
    QCOMPARE(c.rate_limits[0].window, Duration(1min));
    QCOMPARE(c.rate_limits[0].burst, uint64_t(20));
    QCOMPARE(c.rate_limits[1].algorithm, RateLimitAlgorithm::FixedWindow);
    QCOMPARE(c.rate_limits[1].key, std::string("header:x-api-key"));  // header names lowercased
    QCOMPARE(c.rate_limits[1].window, Duration(1s));
    QCOMPARE(c.rate_limits[2].algorithm, RateLimitAlgorithm::TokenBucket);
    QCOMPARE(c.rate_limits[2].key, std::string("route"));
    QCOMPARE(c.rate_limits[2].burst, uint64_t(0));
    QCOMPARE(c.findRateLimit("per_key"), &c.rate_limits[1]);

    QCOMPARE(c.cache_policies.size(), size_t(1));
    QCOMPARE(c.cache_policies[0].default_ttl, Duration(60s));
    QCOMPARE(c.cache_policies[0].max_ttl, Duration(1h));
    QCOMPARE(c.cache_policies[0].stale_while_revalidate, Duration(30s));
    QCOMPARE(c.cache_policies[0].stale_if_error, Duration(5min));
    QCOMPARE(c.findCachePolicy("short"), &c.cache_policies[0]);
    QCOMPARE(c.cache.path, std::string("/var/lib/sluice/cache"));
    QCOMPARE(c.cache.max_size, uint64_t(2ull << 30));

    QCOMPARE(c.limits.max_header_size, 32u * 1024);
    QCOMPARE(c.limits.max_uri_size, 4u * 1024);
    QCOMPARE(c.limits.max_headers, 50u);
    QCOMPARE(c.limits.max_body_size, uint64_t(2000000));
    QCOMPARE(c.limits.header_timeout, Duration(5s));
    QCOMPARE(c.limits.body_timeout, Duration(30s));
    QCOMPARE(c.limits.idle_timeout, Duration(2min));
    QCOMPARE(c.limits.send_timeout, Duration(45s));
    QCOMPARE(c.limits.max_connections, 500u);
    QCOMPARE(c.limits.max_requests_per_connection, 1000u);

    QCOMPARE(c.control.socket, std::string("/run/sluice/control.sock"));
    QVERIFY(c.control.admin_http.has_value());
    QCOMPARE(c.control.admin_http->port, uint16_t(9901));
    QCOMPARE(c.log.access_log, std::string("/var/log/sluice/access.log"));
    QCOMPARE(c.log.level, std::string("debug"));
  }

  void defaultsWhereOmitted() {
    LoadResult result =
        loadConfigText("listeners: [{ name: a, address: '127.0.0.1:0' }]\nworkers: auto\n", "m");
    QVERIFY(result.ok());
    const Config& c = *result.config;
    QVERIFY(c.workers >= 1);  // auto: one per CPU, never 0
    QCOMPARE(c.shutdown_grace, Duration(30s));
    QVERIFY(!c.node_name.empty());  // the host name
    QCOMPARE(c.limits.max_header_size, 16u * 1024);
    QCOMPARE(c.limits.max_connections, 10000u);
    QCOMPARE(c.cache.max_size, uint64_t(1ull << 30));
    QVERIFY(!c.control.admin_http.has_value());
    QCOMPARE(c.log.access_log, std::string("stdout"));
    QCOMPARE(c.log.level, std::string("info"));
    QVERIFY(c.upstreams.empty());
    QVERIFY(c.routes.empty());  // allowed: every request gets 404
  }

  void embeddedDefaultLoads() {
    LoadResult result = loadConfigText(sluice::kDefaultConfigYaml, "<embedded>");
    for (const ConfigError& error : result.errors) {
      qWarning("%s", error.str().c_str());
    }
    QVERIFY(result.ok());
    QVERIFY(result.errors.empty());
    const Config& c = *result.config;
    QCOMPARE(c.source, std::string("<embedded>"));
    QCOMPARE(c.listeners.size(), size_t(1));
    QCOMPARE(c.listeners[0].address.port, uint16_t(8080));
    QCOMPARE(c.routes.size(), size_t(3));
    QCOMPARE(c.routes[0].handler, RouteHandler::Status);
    QCOMPARE(c.routes[1].upstream, std::string("demo"));
    QCOMPARE(c.routes[2].handler, RouteHandler::Respond);
    QVERIFY(c.routes[2].respond.body.find("Sluice is running") != std::string::npos);
    QVERIFY(c.control.admin_http.has_value());
  }
};

QTEST_APPLESS_MAIN(ConfigRoundtripTest)
#include "config_roundtrip_test.moc"
