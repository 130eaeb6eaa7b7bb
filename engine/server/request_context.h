#pragma once
// What the node knows about one request beyond its head: identity, timing, route, and the sizes and
// upstream server that end up in the access log. Owned by the ClientConnection, reset per request.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/core/ip_address.h"
#include "engine/core/lease.h"
#include "engine/core/transport.h"

namespace sluice::stats {
struct RouteStats;
}

namespace sluice::server {

struct RequestContext {
  std::string request_id;                 // X-Request-ID, kept from the client or generated
  std::string client_ip;                  // the peer address (per connection)
  core::IpAddress peer;                   // the same, binary (per connection)
  const core::TlsSessionInfo* tls = nullptr;  // the connection's TLS session; null on plain TCP
  const config::RouteConfig* route = nullptr;  // valid while `config` is held
  config::ConfigPtr config;               // the snapshot this request runs under
  stats::RouteStats* route_stats = nullptr;
  std::string upstream_server;            // "host:port" of the last server tried, for the log
  std::chrono::steady_clock::time_point start;
  uint64_t bytes_in = 0;                  // request body bytes
  uint64_t bytes_out = 0;                 // response bytes, head included
  int status = 0;                         // 0 until a response head is sent
  // Preformatted "Name: value\r\n" lines that the connection adds to whatever response head it
  // writes for this request, error responses included (e.g. RateLimit fields). Cleared per
  // request; its capacity is kept, so an empty or short one costs no allocation.
  std::string response_headers;
  // Counts held while the request runs (e.g. a rate limit's max_in_flight); released when the
  // request finishes or its client goes away, and at the latest by reset().
  std::vector<core::Lease> leases;

  void reset() {
    response_headers.clear();
    leases.clear();
    request_id.clear();
    route = nullptr;
    route_stats = nullptr;
    upstream_server.clear();
    bytes_in = 0;
    bytes_out = 0;
    status = 0;
  }
};

}  // namespace sluice::server
