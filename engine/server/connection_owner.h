#pragma once
// What a ClientConnection needs from whoever accepted it (a worker, or the admin server): its
// limits, its counters, deferred deletion, and a call when the connection is gone.

#include <cstdint>

#include "engine/core/reaper.h"
#include "engine/http/request_parser.h"

namespace sluice::stats {
struct NodeCounters;
}
namespace sluice::log {
class LogBudget;
}

namespace sluice::server {

class ClientConnection;

// Per-connection limits, copied from the config snapshot current when the connection was accepted
// or (for keep-alive connections) when a request starts.
struct ConnectionSettings {
  http::ParserLimits parser;
  uint64_t header_timeout_ms = 10000;
  uint64_t body_timeout_ms = 60000;
  uint64_t idle_timeout_ms = 60000;
  uint64_t send_timeout_ms = 60000;
  // Minimum average receive rate of a head and of a body once min_rate_grace_ms has passed since
  // it started (MinRateWatch); 0 = off.
  uint64_t min_request_rate = 1024;
  uint64_t min_rate_grace_ms = 5000;
  uint32_t max_requests = 10000;
};

class ConnectionOwner {
 public:
  virtual ~ConnectionOwner() = default;
  virtual const ConnectionSettings& connectionSettings() const = 0;
  virtual stats::NodeCounters& counters() = 0;
  virtual core::Reaper& reaper() = 0;
  virtual bool draining() const = 0;
  // The connection closed its socket; the owner forgets it and retires it through the reaper.
  virtual void connectionClosed(ClientConnection* connection) = 0;
  // The budget for log lines about misbehaving clients (e.g. too slow) on this owner's thread;
  // null: such lines are logged at debug level only.
  virtual log::LogBudget* clientLogBudget() { return nullptr; }
};

}  // namespace sluice::server
