#pragma once
// What the node knows about one request beyond its head: identity, timing, route, and the sizes and
// upstream server that end up in the access log. Owned by the ClientConnection, reset per request.

#include <chrono>
#include <cstdint>
#include <string>

#include "engine/config/config.h"

namespace sluice::stats {
struct RouteStats;
}

namespace sluice::server {

struct RequestContext {
  std::string request_id;                 // X-Request-ID, kept from the client or generated
  std::string client_ip;                  // the peer address (per connection)
  const config::RouteConfig* route = nullptr;  // valid while `config` is held
  config::ConfigPtr config;               // the snapshot this request runs under
  stats::RouteStats* route_stats = nullptr;
  std::string upstream_server;            // "host:port" of the last server tried, for the log
  std::chrono::steady_clock::time_point start;
  uint64_t bytes_in = 0;                  // request body bytes
  uint64_t bytes_out = 0;                 // response bytes, head included
  int status = 0;                         // 0 until a response head is sent

  void reset() {
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
