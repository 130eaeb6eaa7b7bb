#include "engine/node/tls_contexts.h"

#include "engine/log/logger.h"
#include "engine/tls/server_context.h"

namespace sluice::node {

tls::TicketKeysPtr TlsContexts::keysFor(const std::string& listener,
                                        std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  tls::TicketKeysPtr& keys = keys_[listener];
  if (!keys) {
    keys = tls::TicketKeys::create(now);
  }
  return keys;
}

bool TlsContexts::build(const config::Config& config, server::TlsContextMap& listeners,
                        server::UpstreamTlsMap& upstreams, std::vector<std::string>& errors) {
  const auto now = std::chrono::steady_clock::now();
  server::TlsContextMap built;
  for (const config::ListenerConfig& listener : config.listeners) {
    if (!listener.tls) {
      continue;
    }
    tls::TicketKeysPtr keys = keysFor(listener.name, now);
    if (!keys) {
      errors.push_back(listener.tls->where.file + ":" + std::to_string(listener.tls->where.line) +
                       ": listener '" + listener.name +
                       "': cannot make session ticket keys (the random generator failed)");
      continue;
    }
    std::string error;
    tls::ServerContextPtr context = tls::ServerContext::build(*listener.tls, listener.name, keys, error);
    if (!context) {
      errors.push_back(listener.tls->where.file + ":" + std::to_string(listener.tls->where.line) +
                       ": listener '" + listener.name + "': " + error);
      continue;
    }
    built.emplace(listener.name, std::move(context));
  }
  server::UpstreamTlsMap clients;
  for (const config::UpstreamConfig& upstream : config.upstreams) {
    if (!upstream.tls) {
      continue;
    }
    std::string error;
    tls::ClientContextPtr context = tls::ClientContext::build(*upstream.tls, error);
    if (!context) {
      errors.push_back(upstream.tls->where.file + ":" + std::to_string(upstream.tls->where.line) +
                       ": upstream '" + upstream.name + "': " + error);
      continue;
    }
    clients.emplace(upstream.name, std::move(context));
  }
  if (!errors.empty()) {
    return false;
  }
  listeners = std::move(built);
  upstreams = std::move(clients);
  return true;
}

void TlsContexts::rotateTickets(const config::Config& config, std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  for (const config::ListenerConfig& listener : config.listeners) {
    if (!listener.tls || !listener.tls->session_tickets) {
      continue;
    }
    auto it = keys_.find(listener.name);
    if (it != keys_.end() && it->second->rotateIfDue(now, listener.tls->session_ticket_rotation)) {
      log::debug("tls: listener {}: session ticket key rotated", listener.name);
    }
  }
}

}  // namespace sluice::node
