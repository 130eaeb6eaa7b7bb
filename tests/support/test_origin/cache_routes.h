#pragma once
// The test origin's programmable answers, for the cache tests: the test decides every header of a
// response through the query string, and the origin counts the requests per target so that a test
// can tell a cached answer from a fresh one. See README.md ("Cache paths").

#include <optional>

#include "tests/support/test_origin/origin_routes.h"

namespace sluice::test_origin {

// An answer for /cache/..., /_fail/on|off and /_counts; nullopt for any other path.
std::optional<ResponsePlan> planCacheResponse(const Request& request, OriginState& state);

}  // namespace sluice::test_origin
