#pragma once
// Polling with a deadline, instead of sleeping blindly.

#include <functional>

namespace sluice::test {

// Calls `condition` every `interval_ms` until it is true (returns true) or `timeout_ms` passed (false).
bool waitUntil(const std::function<bool()>& condition, int timeout_ms, int interval_ms = 20);

}  // namespace sluice::test
