#pragma once
// The TLS side of the node's listeners: per listener, its session-ticket keys
// (made once, kept for the node's life so that reloads keep tickets valid, rotated on the control
// tick) and the ServerContext built from each config the node accepts.
//
// A context is built for every config (start, SIGHUP, control-socket edit) before the config is
// accepted: a certificate OpenSSL refuses rejects the whole config and the node keeps the old one.
// Building is a few milliseconds per certificate; the certificates themselves were read and checked
// by the config loader. build() runs on the libuv thread pool (the editor prepares a config there,
// since it reads certificate and CA files), rotateTickets() on the control thread: a mutex guards
// the map of keys.

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/server/node_snapshot.h"
#include "engine/tls/ticket_keys.h"

namespace sluice::node {

class TlsContexts {
 public:
  // A context per listener and per upstream with `tls:`; false (and `errors` filled,
  // "FILE:LINE: ...") when one fails, and then the outputs are left alone.
  bool build(const config::Config& config, server::TlsContextMap& listeners,
             server::UpstreamTlsMap& upstreams, std::vector<std::string>& errors);
  // Rotates each TLS listener's ticket keys that are older than its session_ticket_rotation.
  void rotateTickets(const config::Config& config, std::chrono::steady_clock::time_point now);

 private:
  tls::TicketKeysPtr keysFor(const std::string& listener, std::chrono::steady_clock::time_point now);

  std::mutex mutex_;                                 // guards keys_
  std::map<std::string, tls::TicketKeysPtr> keys_;  // by listener name
};

}  // namespace sluice::node
