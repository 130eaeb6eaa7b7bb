#pragma once
// The IMF-fixdate for the Date header ("Sun, 06 Nov 1994 08:49:37 GMT"), formatted at most once a
// second per thread.

#include <string_view>

namespace sluice::core {

std::string_view httpDateNow();

}  // namespace sluice::core
