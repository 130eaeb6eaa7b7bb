#pragma once
// The test origin's fault injection (README.md, "Fault paths"): per-request faults chosen by the path
// (resets, stalls, slow bodies) and node-wide modes set through /_fault/ control paths (a burst of
// 503s, refusing connections for a while, flapping, an unhealthy /health). Pure: the plan says what
// to do, the connection and server do the I/O.

#include <optional>

#include "tests/support/test_origin/origin_routes.h"

namespace sluice::test_origin {

// An answer for a fault path or a /_fault/ control path; nullopt for any other path.
std::optional<ResponsePlan> planFaultResponse(const Request& request, OriginState& state);

// The node-wide 503 burst: true (and one fewer left) when this request is answered 503.
bool takeFailure(const Request& request, OriginState& state);

}  // namespace sluice::test_origin
