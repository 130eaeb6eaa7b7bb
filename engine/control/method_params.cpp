#include "engine/control/method_params.h"

namespace sluice::control {
namespace {

const nlohmann::json* find(const nlohmann::json& params, const char* name) {
  if (!params.is_object()) {
    return nullptr;
  }
  auto it = params.find(name);
  return it == params.end() ? nullptr : &*it;
}

}  // namespace

bool readString(const nlohmann::json& params, const char* name, std::optional<std::string>& out,
                ControlError& error, bool required) {
  const nlohmann::json* value = find(params, name);
  if (value == nullptr) {
    if (required) {
      error = badRequest(std::string("'") + name + "' is required");
      return false;
    }
    return true;
  }
  if (!value->is_string()) {
    error = badRequest(std::string("'") + name + "' must be a string");
    return false;
  }
  out = value->get<std::string>();
  return true;
}

bool readUnsigned(const nlohmann::json& params, const char* name, std::optional<uint64_t>& out,
                  ControlError& error) {
  const nlohmann::json* value = find(params, name);
  if (value == nullptr) {
    return true;
  }
  // nlohmann reads 5 as unsigned, -1 as signed and 5.0 as a float: only the first is accepted.
  if (!value->is_number_unsigned()) {
    error = badRequest(std::string("'") + name + "' must be a non-negative integer");
    return false;
  }
  out = value->get<uint64_t>();
  return true;
}

bool readBool(const nlohmann::json& params, const char* name, std::optional<bool>& out, ControlError& error) {
  const nlohmann::json* value = find(params, name);
  if (value == nullptr) {
    return true;
  }
  if (!value->is_boolean()) {
    error = badRequest(std::string("'") + name + "' must be true or false");
    return false;
  }
  out = value->get<bool>();
  return true;
}

}  // namespace sluice::control
