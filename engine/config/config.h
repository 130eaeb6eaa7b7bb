#pragma once
// The immutable configuration snapshot. Built once by ConfigLoader from YAML, validated, then shared
// read-only by every thread through std::shared_ptr<const Config>. A reload builds a new snapshot;
// nothing here is ever mutated after loading.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/ip_address.h"

namespace sluice::tls {
struct CertifiedKey;
}

namespace sluice::config {

using Duration = std::chrono::milliseconds;

// Where a value came from, for `file:line: message` errors raised after parsing (e.g. a bind failure).
struct SourceLocation {
  std::string file;
  int line = 0;
};

// host:port. `host` is a numeric IPv4/IPv6 address or a name (names only for upstream servers);
// IPv6 is written [::1]:8080. `text` is the address as the user wrote it.
struct Address {
  std::string host;
  uint16_t port = 0;
  std::string text;
};

// One `certificates:` entry of a listener's `tls:` block. `loaded` is filled when the config loads
// (files read, key checked against the certificate); a snapshot never holds an unchecked pair.
struct TlsCertificateConfig {
  std::string cert;
  std::string key;
  std::shared_ptr<const tls::CertifiedKey> loaded;
  SourceLocation where;
};

enum class TlsVersion { Tls12, Tls13 };
enum class ClientVerify { Off, Optional, Require };

// A listener's `tls:` block. Empty `ciphers` / `ciphersuites` mean the built-in defaults (Mozilla
// "intermediate" for TLS 1.2, OpenSSL's TLS 1.3 suites).
inline constexpr const char* kDefaultClientSubjectHeader = "X-Client-Subject";

struct TlsConfig {
  std::vector<TlsCertificateConfig> certificates;  // at least one; the first is the no-SNI default
  TlsVersion min_version = TlsVersion::Tls12;
  std::string ciphers;
  std::string ciphersuites;
  bool session_tickets = true;
  Duration session_ticket_rotation = std::chrono::hours(12);  // a key encrypts this long, decrypts twice
  Duration handshake_timeout = std::chrono::seconds(10);
  std::string client_ca;                                  // PEM bundle; required by `verify`
  ClientVerify verify = ClientVerify::Off;
  // The verified client certificate's subject goes upstream in this header (any value a client
  // sent in it is removed first); empty: not sent.
  std::string client_subject_header = kDefaultClientSubjectHeader;
  SourceLocation where;
};

struct ListenerConfig {
  std::string name;
  Address address;
  std::optional<TlsConfig> tls;
  uint32_t max_connections_per_ip = 0;  // open connections per client address (IPv6: per /64); 0 = off
  uint32_t max_connections = 0;  // open connections on this listener, split across workers; 0 = only limits'
  SourceLocation where;
};

// TLS to the servers of one upstream.
struct UpstreamTlsConfig {
  bool verify = true;  // check the server certificate (chain and name); off only for tests and labs
  std::string ca;      // PEM bundle to verify against; empty: the system's trust store
  std::string sni;     // name sent as SNI and checked against the certificate; empty: the server's
                       // host name as configured (none for an IP address, which is then checked)
  SourceLocation where;
};

enum class Balance { RoundRobin, LeastConn, ConsistentHash };

// An inclusive range of HTTP statuses ("2xx" is 200..299, 204 is 204..204).
struct StatusRange {
  int low = 200;
  int high = 299;
  bool operator==(const StatusRange&) const = default;
};

// Active health checks of every server of an upstream (docs/resilience.md): `GET path` each
// `interval` from the control thread; `fall` failed checks in a row take a server out, `rise`
// passed checks in a row bring it back. A server starts up.
struct HealthCheckConfig {
  std::string path = "/";
  std::string host;                     // Host header; "" = the server's host:port
  Duration interval = std::chrono::seconds(5);
  Duration timeout = std::chrono::seconds(2);
  std::vector<StatusRange> expect{StatusRange{200, 399}};
  uint32_t rise = 2;
  uint32_t fall = 3;
  bool operator==(const HealthCheckConfig&) const = default;
};

// A circuit breaker per server (docs/resilience.md). Failures are connect errors, resets,
// timeouts and 5xx answers. Closed -> open on `consecutive_failures` in a row (0 = not this way) or
// when at least `min_requests` requests in `window` saw an error ratio >= `error_ratio` (0 = not
// this way); open for `cool_down`; then half-open: at most `half_open_requests` probes, and
// `success` successes close it, one failure opens it again.
struct CircuitBreakerConfig {
  uint32_t consecutive_failures = 5;
  double error_ratio = 0;
  Duration window = std::chrono::seconds(10);
  uint32_t min_requests = 20;
  Duration cool_down = std::chrono::seconds(10);
  uint32_t half_open_requests = 1;
  uint32_t success = 1;
  bool operator==(const CircuitBreakerConfig&) const = default;
};

struct UpstreamConfig {
  std::string name;
  std::vector<Address> servers;
  Balance balance = Balance::RoundRobin;
  uint32_t keepalive = 32;              // idle keep-alive connections kept per worker per server
  Duration connect_timeout = std::chrono::seconds(2);
  Duration response_timeout = std::chrono::seconds(30);  // to the response head, and between reads
  uint32_t max_fails = 3;               // passive health: consecutive failures that mark a server down
  Duration fail_timeout = std::chrono::seconds(10);      // how long a down server is skipped
  std::optional<UpstreamTlsConfig> tls;                  // HTTPS to the servers
  std::optional<HealthCheckConfig> health_check;         // unset = no active checks
  std::optional<CircuitBreakerConfig> circuit_breaker;   // unset = no breaker
  uint32_t max_in_flight = 0;           // requests in flight to the upstream, per node; 0 = unbounded
  uint32_t queue_size = 0;              // requests waiting beyond max_in_flight; more: 503
  Duration queue_timeout = std::chrono::seconds(1);  // a queued request waits this long, then 503
  SourceLocation where;
};

// A fixed answer, like nginx's `return`: used by the embedded default and for health endpoints.
struct RespondConfig {
  int status = 200;
  std::string body;
  std::string content_type = "text/plain; charset=utf-8";
};

enum class RouteHandler { Proxy, Respond, Status };

// What a retry is for (bits of RetryConfig::on).
enum RetryOn : uint32_t {
  kRetryConnectError = 1u << 0,  // refused, unreachable, connect timeout
  kRetryReset = 1u << 1,         // the connection closed or reset before a complete response head
  kRetryTimeout = 1u << 2,       // first byte (or per-try) timeout
  kRetry502 = 1u << 3,
  kRetry503 = 1u << 4,
  kRetry504 = 1u << 5,
};

// The retry budget of a route: retries in `window` stay under `ratio` x requests in the window plus
// `min_per_second` x the window's seconds. Per worker (docs/resilience.md).
struct RetryBudgetConfig {
  double ratio = 0.2;
  Duration window = std::chrono::seconds(10);
  uint32_t min_per_second = 3;
};

// Retries of a route (docs/resilience.md). Without a `retries` key a route keeps these defaults:
// one retry of an idempotent request on a connect error, on another server.
struct RetryConfig {
  uint32_t tries = 2;                   // attempts in all, the first included; 1 = no retry
  uint32_t on = kRetryConnectError;     // RetryOn bits
  Duration per_try_timeout = Duration::zero();  // time to the response head per try; 0 = first_byte
  Duration backoff_base = Duration::zero();     // exponential backoff with full jitter; 0 = at once
  Duration backoff_max = std::chrono::milliseconds(250);
  bool idempotent_only = true;
  RetryBudgetConfig budget;
  bool configured = false;              // the route has a `retries` key; without one a retry needs
                                        // another server (a lone server is not retried at once)
};

// Per-route stage timeouts; unset = the upstream's (connect_timeout, response_timeout) or none.
struct RouteTimeouts {
  std::optional<Duration> connect;      // to connect to a server: 504
  std::optional<Duration> send;         // to write the whole request upstream: 504
  std::optional<Duration> first_byte;   // from the request sent to the response head: 504
  std::optional<Duration> idle;         // between two reads of the response: 504 (or cut short)
  std::optional<Duration> total;        // the whole exchange, retries included: 504 (or cut short)
};

struct RouteMatch {
  std::string host;          // "" = any; "api.example.com" exact; "*.example.com" any subdomain
  std::string path_prefix;   // "" = any
  std::string path_exact;    // "" = not used; exclusive with path_prefix
};

struct RouteConfig {
  std::string name;
  RouteMatch match;
  RouteHandler handler = RouteHandler::Proxy;
  std::string upstream;                 // for Proxy
  RespondConfig respond;                // for Respond
  std::optional<uint64_t> max_body_size;  // request body limit; unset = limits.max_body_size; 0 = none
  std::string cache;                    // a cache policy name, or ""
  std::vector<std::string> rate_limits; // rate-limit policy names
  RetryConfig retries;
  RouteTimeouts timeouts;
  SourceLocation where;
};

enum class RateLimitAlgorithm { TokenBucket, SlidingWindow, FixedWindow };
enum class RateLimitMode { Enforce, DryRun };

struct RateLimitConfig {
  std::string name;
  RateLimitAlgorithm algorithm = RateLimitAlgorithm::TokenBucket;
  std::string key = "client_ip";        // client_ip | header:NAME | route
  uint64_t limit = 0;                   // 0 = no request rate (only max_in_flight)
  Duration window = std::chrono::seconds(60);
  uint64_t burst = 0;
  RateLimitMode mode = RateLimitMode::Enforce;  // dry_run: count and log refusals, let them pass
  bool headers = true;                  // RateLimit-Policy / RateLimit fields on responses
  std::string fallback;                 // header keys: policy used when the header is missing
  int missing_key_status = 400;         // header keys without fallback: the answer when it is missing
  uint32_t ipv4_prefix = 32;            // client_ip keys: addresses grouped by this prefix
  uint32_t ipv6_prefix = 64;
  uint64_t max_in_flight = 0;           // concurrent requests per key; 0 = unlimited
  int in_flight_status = 429;           // 429 or 503
  SourceLocation where;
};

// The node-wide table of rate-limit keys (shared by all workers, kept across reloads).
struct RateLimitTableConfig {
  uint64_t max_keys = 1'000'000;        // at the limit the least recently used keys are evicted
  Duration idle_timeout = std::chrono::minutes(10);  // keys unused this long are dropped once their
                                                     // state no longer limits anything
};

struct CachePolicyConfig {
  std::string name;
  Duration default_ttl = std::chrono::seconds(60);
  Duration max_ttl = std::chrono::hours(1);
  Duration stale_while_revalidate = Duration::zero();
  Duration stale_if_error = Duration::zero();
  uint64_t max_object_size = 8ull << 20;  // bigger responses stream through uncached
  Duration lock_timeout = std::chrono::seconds(5);  // how long a miss waits for a concurrent fetch of the same key
  SourceLocation where;
};

struct CacheConfig {
  std::string path;                     // "" = default data dir + "/cache"
  uint64_t max_size = 1ull << 30;
};

// Protection of the HTTP server against slow or huge requests. All per connection or per request.
struct LimitsConfig {
  uint32_t max_header_size = 16 * 1024;       // request line + headers; over it: 431 (414 if the URI)
  uint32_t max_uri_size = 8 * 1024;           // over it: 414
  uint32_t max_headers = 100;                 // header count; over it: 431
  uint64_t max_body_size = 1024 * 1024;       // default per-route request body limit; 0 = none
  Duration header_timeout = std::chrono::seconds(10);  // to read a whole request head: 408
  Duration body_timeout = std::chrono::seconds(60);    // between two reads of a request body: 408
  Duration idle_timeout = std::chrono::seconds(60);    // keep-alive wait for the next request: close
  Duration send_timeout = std::chrono::seconds(60);    // a client that reads nothing for this long: close
  // Minimum average rate (bytes/s) of a request head, and of a body, once min_rate_grace has passed
  // since it started: slower is 408 and close (slowloris, slow POST). 0 = off. See docs/resilience.md.
  uint64_t min_request_rate = 1024;
  Duration min_rate_grace = std::chrono::seconds(5);
  uint32_t max_connections = 10000;           // per node, split evenly across workers; over: 503
  uint32_t max_requests_per_connection = 10000;  // then Connection: close
};

// The control socket and who may use it (docs/control-protocol.md). Names given in the file are
// resolved to ids when the config is loaded.
struct ControlConfig {
  std::string socket;                   // "" = default path (see DESIGN.md, Names users see)
  std::optional<gid_t> socket_group;    // group owner of the socket file; unset = the node's group
  std::vector<uid_t> allow_uids;        // allowed besides root, the node's user and the groups
  std::vector<gid_t> allow_groups;      // allowed besides socket_group
  uint32_t max_clients = 64;            // attached clients at once; one more is refused
  std::optional<Address> admin_http;    // /metrics and /healthz; unset = off
};

struct LogConfig {
  std::string access_log = "stdout";    // "stdout" | "off" | a file path
  std::string level = "info";           // debug | info | warn | error
};

struct Config {
  uint32_t workers = 0;                 // 0 = CPU count (resolved by the loader: never 0 after load)
  Duration shutdown_grace = std::chrono::seconds(30);  // SIGTERM: time for in-flight requests
  std::vector<ListenerConfig> listeners;
  std::vector<UpstreamConfig> upstreams;
  std::vector<RouteConfig> routes;
  std::vector<RateLimitConfig> rate_limits;
  RateLimitTableConfig rate_limit_table;
  std::vector<core::Cidr> trusted_proxies;  // peers whose X-Forwarded-For is believed
  std::vector<CachePolicyConfig> cache_policies;
  CacheConfig cache;
  LimitsConfig limits;
  ControlConfig control;
  LogConfig log;
  std::string node_name;                // default: the host name
  std::string source;                   // file path, or "<embedded>"
  uint64_t version = 1;                 // set by whoever publishes the snapshot

  // Lookups by name; nullptr if there is none.
  const UpstreamConfig* findUpstream(const std::string& name) const;
  const RateLimitConfig* findRateLimit(const std::string& name) const;
  const CachePolicyConfig* findCachePolicy(const std::string& name) const;
};

using ConfigPtr = std::shared_ptr<const Config>;

}  // namespace sluice::config
