#pragma once
// Until the TLS transport is wired in (issue 6, docs/tls.md), a listener with `tls:` must not be
// served at all: serving a port meant for TLS in plain text would be worse than refusing to start.
// The config loader accepts and checks the block (so `sluice check` validates it); `serve` and every
// reload refuse it here. Remove this file when engine/tls/ serves connections.

#include <string>

#include "engine/config/config.h"

namespace sluice::node {

// "FILE:LINE: listener 'NAME': TLS is not served yet ..." for the first listener with `tls:`, or "".
std::string tlsNotServedYet(const config::Config& config);

}  // namespace sluice::node
