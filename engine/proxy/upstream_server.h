#pragma once
// One server of an upstream as one worker sees it: its resolved address, keep-alive connections,
// load, passive health, active health (as last read from the HealthBoard) and circuit breaker.
// Owned by the worker's UpstreamPool.

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/tls/client_context.h"
#include "engine/proxy/circuit_breaker.h"

namespace sluice::stats {
struct UpstreamServerStats;
}

namespace sluice::proxy {

class UpstreamConnection;

struct UpstreamServer {
  std::string name;                       // "host:port" as configured
  std::string host;                       // the host part (name or IP literal), for TLS
  sockaddr_storage address{};
  std::vector<UpstreamConnection*> idle;  // most recently used last
  uint32_t active = 0;                    // requests in flight (least_conn)
  uint32_t peak_active = 0;               // recent peak of `active`, halved every 10 s (pool sizing)
  uint32_t consecutive_failures = 0;
  std::chrono::steady_clock::time_point down_until{};
  bool down = false;
  bool drained = false;  // an operator drained it (DrainBoard): no new requests, no idle connections
  bool health_down = false;  // its active health check fails (HealthBoard): no new requests
  CircuitBreaker breaker;
  stats::UpstreamServerStats* stats = nullptr;
  tls::SessionSlot tls_session;  // TLS upstreams: the last session this server gave (resumption)

  const sockaddr* sockaddrPtr() const { return reinterpret_cast<const sockaddr*>(&address); }
};

}  // namespace sluice::proxy
