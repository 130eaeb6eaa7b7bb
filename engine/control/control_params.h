#pragma once
// Reading a request's params for the control methods: each reader returns the value, or nullopt with
// a `bad_request` error naming the param ("params.base_version must be a whole number"). `params`
// may be null (omitted) or an object; anything else makes every param missing. Any thread.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "engine/control/control_method.h"

namespace sluice::control {

// A non-negative integer (a config version).
std::optional<uint64_t> versionParam(const nlohmann::json& params, std::string_view key, ControlError& error);
// A non-empty string.
std::optional<std::string> nameParam(const nlohmann::json& params, std::string_view key, ControlError& error);
// An object; the pointer stays valid while `params` lives.
const nlohmann::json* objectParam(const nlohmann::json& params, std::string_view key, ControlError& error);

ControlError badRequest(std::string message);

}  // namespace sluice::control
