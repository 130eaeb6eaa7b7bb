#pragma once
// One request line of the control protocol, parsed: `{"id": 7, "method": "stats.get", "params": {...}}`.
// Untrusted input: nothing throws, every malformed line becomes a bad_request message, and the id is
// echoed only when the line was an object with a usable id. Pure; any thread.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace sluice::control {

struct ControlRequest {
  bool ok = false;
  nlohmann::json id = nullptr;   // a number or a string; null when missing or unusable
  std::string method;
  nlohmann::json params;         // always an object when ok (an omitted or null `params` is {})
  std::string error;             // when !ok: the bad_request message
};

// The id rule: a JSON number or string. Anything else (or none) is refused with id null, since
// there is nothing a client could match the answer to.
ControlRequest parseRequestLine(std::string_view line);

}  // namespace sluice::control
