#pragma once
// The lines the node writes on the control socket, each '\n'-terminated:
//   {"id": ID, "result": {...}}
//   {"id": ID, "error": {"code": ..., "message": ...[, "field": ...][, "errors": [...]]}}
//   {"event": NAME, "data": {...}}
// Strings that are not valid UTF-8 (say a purged URL as the client sent it) are written with U+FFFD
// rather than failing. Pure; any thread.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "engine/control/control_method.h"

namespace sluice::control {

std::string resultLine(const nlohmann::json& id, nlohmann::json result);
std::string errorLine(const nlohmann::json& id, const ControlError& error);
std::string eventLine(std::string_view event, nlohmann::json data);

// One line of JSON (no newline), never throwing on bad UTF-8.
std::string dumpLine(const nlohmann::json& value);

}  // namespace sluice::control
