#include "engine/control/control_params.h"

namespace sluice::control {
namespace {

const nlohmann::json* find(const nlohmann::json& params, std::string_view key) {
  if (!params.is_object()) {
    return nullptr;
  }
  auto it = params.find(std::string(key));
  return it == params.end() ? nullptr : &*it;
}

std::string missing(std::string_view key, std::string_view what) {
  return "params." + std::string(key) + " is missing (" + std::string(what) + ")";
}

}  // namespace

ControlError badRequest(std::string message) {
  return ControlError{"bad_request", std::move(message), {}, nullptr};
}

std::optional<uint64_t> versionParam(const nlohmann::json& params, std::string_view key,
                                     ControlError& error) {
  const nlohmann::json* value = find(params, key);
  if (value == nullptr) {
    error = badRequest(missing(key, "a config version"));
    return std::nullopt;
  }
  if (value->is_number_unsigned()) {
    return value->get<uint64_t>();
  }
  if (value->is_number_integer() && value->get<int64_t>() >= 0) {
    return static_cast<uint64_t>(value->get<int64_t>());
  }
  error = badRequest("params." + std::string(key) + " must be a config version (a whole number), got " +
                     std::string(value->type_name()));
  return std::nullopt;
}

std::optional<std::string> nameParam(const nlohmann::json& params, std::string_view key,
                                     ControlError& error) {
  const nlohmann::json* value = find(params, key);
  if (value == nullptr) {
    error = badRequest(missing(key, "a name"));
    return std::nullopt;
  }
  if (!value->is_string() || value->get<std::string>().empty()) {
    error = badRequest("params." + std::string(key) + " must be a non-empty string");
    return std::nullopt;
  }
  return value->get<std::string>();
}

const nlohmann::json* objectParam(const nlohmann::json& params, std::string_view key, ControlError& error) {
  const nlohmann::json* value = find(params, key);
  if (value == nullptr) {
    error = badRequest(missing(key, "an object"));
    return nullptr;
  }
  if (!value->is_object()) {
    error = badRequest("params." + std::string(key) + " must be an object, got " +
                       std::string(value->type_name()));
    return nullptr;
  }
  return value;
}

}  // namespace sluice::control
