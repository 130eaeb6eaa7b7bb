#pragma once
// What the control thread hands each worker on start and on every reload: the config snapshot and
// its upstream server addresses, resolved on the control thread (a worker never resolves names), and
// the node's response cache, which outlives snapshots, and its node-wide run-time state (rate-limit
// counters, drained upstream servers), the same objects in every snapshot so that reloads keep them.

#include <sys/socket.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/filters/cache/cache_service.h"
#include "engine/proxy/drain_board.h"
#include "engine/tls/client_context.h"
#include "engine/tls/server_context.h"
#include "engine/proxy/health_board.h"

namespace sluice::rate_limit {
class LimiterTable;
}

namespace sluice::server {

using ResolvedUpstreams = std::map<std::string, std::vector<sockaddr_storage>>;
// The TLS context of each listener with `tls:`, by listener name, built on the control thread.
using TlsContextMap = std::map<std::string, tls::ServerContextPtr>;
// The TLS client context of each upstream with `tls:`, by upstream name.
using UpstreamTlsMap = std::map<std::string, tls::ClientContextPtr>;

struct NodeSnapshot {
  config::ConfigPtr config;
  std::shared_ptr<const ResolvedUpstreams> upstream_addresses;
  filters::cache::CacheServicePtr cache;  // null while no route uses a cache policy
  // The node's rate-limit state: the same table in every snapshot, so reloads keep it.
  std::shared_ptr<rate_limit::LimiterTable> rate_limits;
  // Which upstream servers are drained (keyed by names, so a reload keeps them).
  proxy::DrainBoardPtr drain_board;
  // Certificates and TLS settings per listener; a connection keeps the context it was accepted with.
  TlsContextMap tls_contexts;
  UpstreamTlsMap upstream_tls;
  // The active health checks' results (the control thread's HealthChecker writes them).
  proxy::HealthBoardPtr health_board;
};

}  // namespace sluice::server
