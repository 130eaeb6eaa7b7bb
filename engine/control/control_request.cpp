#include "engine/control/control_request.h"

namespace sluice::control {

ControlRequest parseRequestLine(std::string_view line) {
  ControlRequest out;
  nlohmann::json doc = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
  if (doc.is_discarded()) {
    out.error = "not JSON: a request is one JSON object per line";
    return out;
  }
  if (!doc.is_object()) {
    out.error = "a request must be a JSON object";
    return out;
  }
  auto id = doc.find("id");
  if (id == doc.end()) {
    out.error = "the request has no 'id'";
    return out;
  }
  if (!id->is_number() && !id->is_string()) {
    out.error = "'id' must be a number or a string";
    return out;
  }
  out.id = std::move(*id);
  auto method = doc.find("method");
  if (method == doc.end() || !method->is_string()) {
    out.error = method == doc.end() ? "the request has no 'method'" : "'method' must be a string";
    return out;
  }
  out.method = method->get<std::string>();
  auto params = doc.find("params");
  if (params == doc.end() || params->is_null()) {
    out.params = nlohmann::json::object();
  } else if (params->is_object()) {
    out.params = std::move(*params);
  } else {
    out.error = "'params' must be an object";
    return out;
  }
  out.ok = true;
  return out;
}

}  // namespace sluice::control
