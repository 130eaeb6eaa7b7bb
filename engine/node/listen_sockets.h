#pragma once
// Binds every configured listener once per worker (SO_REUSEPORT: the kernel spreads new
// connections over the workers' sockets). Runs on the control thread before the workers start, so
// a bind failure is reported at once with the listener's address and config line.

#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/node/inherited_sockets.h"
#include "engine/server/worker.h"

namespace sluice::node {

struct BoundListener {
  std::string name;
  std::string address;  // with the real port when the config said port 0
};

// On failure: `error` is "FILE:LINE: listener NAME: cannot listen on ADDRESS: REASON", nothing stays
// open, and the result is false.
//
// A listener whose sockets came from an upgrading node (same name, same address) uses them: worker i
// takes socket i, sockets beyond the worker count go round the workers again (each socket is in the
// kernel's SO_REUSEPORT group, so none may be closed while the old node still accepts on it), and
// workers beyond the inherited count bind sockets of their own into the same group.
bool openListenSockets(const config::Config& config, uint32_t workers, InheritedSockets& inherited,
                       std::vector<server::WorkerSockets>& out, std::vector<BoundListener>& bound,
                       std::string& error);

// One plain listening socket (no SO_REUSEPORT), for the admin endpoint. -1 and `error` on failure.
int openSingleSocket(const config::Address& address, std::string& bound_address, std::string& error);

// True when `fd` is bound to `address` (any port when the address says port 0).
bool socketHasAddress(int fd, const config::Address& address);

}  // namespace sluice::node
