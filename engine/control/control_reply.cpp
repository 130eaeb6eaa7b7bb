#include "engine/control/control_reply.h"

namespace sluice::control {

// The envelope is assembled by hand so that "id" / "event" come first, as in the protocol doc
// (nlohmann::json sorts keys), which reads better in `socat` sessions.

std::string dumpLine(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string resultLine(const nlohmann::json& id, nlohmann::json result) {
  return "{\"id\":" + dumpLine(id) + ",\"result\":" + dumpLine(result) + "}\n";
}

std::string errorLine(const nlohmann::json& id, const ControlError& error) {
  nlohmann::ordered_json body = {{"code", error.code}, {"message", error.message}};
  if (!error.field.empty()) {
    body["field"] = error.field;
  }
  if (!error.errors.is_null()) {
    body["errors"] = error.errors;
  }
  return "{\"id\":" + dumpLine(id) + ",\"error\":" +
         body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "}\n";
}

std::string eventLine(std::string_view event, nlohmann::json data) {
  return "{\"event\":" + dumpLine(nlohmann::json(event)) + ",\"data\":" + dumpLine(data) + "}\n";
}

}  // namespace sluice::control
