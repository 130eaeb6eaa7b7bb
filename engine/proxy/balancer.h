#pragma once
// Chooses a server for a request: round_robin, least_conn, or consistent_hash (on a key, the client
// address). Drained servers, servers marked down by passive or active health checks, and servers
// whose circuit breaker lets nothing through are skipped; `exclude` is the server that just
// failed when retrying. Per worker, not thread-safe.

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/config/config.h"
#include "engine/proxy/upstream_server.h"

namespace sluice::proxy {

class Balancer {
 public:
  Balancer(config::Balance kind, std::vector<UpstreamServer>& servers);

  // Null when no server is available.
  UpstreamServer* pick(const UpstreamServer* exclude, std::string_view hash_key,
                       std::chrono::steady_clock::time_point now);

 private:
  bool usable(const UpstreamServer& s, const UpstreamServer* exclude,
              std::chrono::steady_clock::time_point now) const;
  UpstreamServer* pickRoundRobin(const UpstreamServer* exclude, std::chrono::steady_clock::time_point now);
  UpstreamServer* pickLeastConn(const UpstreamServer* exclude, std::chrono::steady_clock::time_point now);
  UpstreamServer* pickHash(const UpstreamServer* exclude, std::string_view key,
                           std::chrono::steady_clock::time_point now);

  config::Balance kind_;
  std::vector<UpstreamServer>& servers_;
  size_t next_ = 0;
  std::vector<std::pair<uint64_t, uint32_t>> ring_;  // consistent_hash: (point, server index)
};

// 64-bit FNV-1a followed by a finalizer; stable across runs so consistent_hash keeps its mapping.
uint64_t stableHash(std::string_view data);

}  // namespace sluice::proxy
