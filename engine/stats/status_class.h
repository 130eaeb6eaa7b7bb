#pragma once
// Responses are counted by status class; "aborted" is a request whose client went away before any
// status was sent (the worker reports status 0 for it).

#include <array>
#include <cstddef>
#include <string_view>

namespace sluice::stats {

enum class StatusClass : unsigned char { k1xx, k2xx, k3xx, k4xx, k5xx, kAborted };
inline constexpr size_t kStatusClassCount = 6;
inline constexpr std::array<std::string_view, kStatusClassCount> kStatusClassNames = {
    "1xx", "2xx", "3xx", "4xx", "5xx", "aborted"};

// 100..599 map to their class; anything else (0 = no status sent) is "aborted".
constexpr StatusClass statusClassOf(int status) {
  if (status < 100 || status > 599) {
    return StatusClass::kAborted;
  }
  return static_cast<StatusClass>(status / 100 - 1);
}

constexpr size_t indexOf(StatusClass c) {
  return static_cast<size_t>(c);
}

}  // namespace sluice::stats
