#pragma once
// Resolves every upstream server's host to an address (numeric hosts directly, names through
// getaddrinfo). Blocking: called on the control thread at start, on the libuv thread pool for a
// reload or an edit (Node::prepareConfig), never on a worker.

#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/server/node_snapshot.h"

namespace sluice::node {

// False with `errors` ("FILE:LINE: upstream NAME: cannot resolve HOST: REASON") when any fails.
bool resolveUpstreams(const config::Config& config, server::ResolvedUpstreams& out, std::vector<std::string>& errors);

}  // namespace sluice::node
