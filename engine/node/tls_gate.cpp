#include "engine/node/tls_gate.h"

namespace sluice::node {

std::string tlsNotServedYet(const config::Config& config) {
  for (const config::ListenerConfig& listener : config.listeners) {
    if (listener.tls) {
      return listener.tls->where.file + ":" + std::to_string(listener.tls->where.line) + ": listener '" +
             listener.name +
             "': TLS is not served yet (the 'tls' block is checked but this build serves plain HTTP only)";
    }
  }
  return {};
}

}  // namespace sluice::node
