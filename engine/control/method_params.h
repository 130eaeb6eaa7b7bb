#pragma once
// Reading a request's `params` in a method: typed lookups that describe what is wrong as a
// bad_request error naming the param ("'seconds' must be a non-negative integer"). Pure.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "engine/control/control_method.h"

namespace sluice::control {

inline ControlError badRequest(std::string message) { return ControlError{"bad_request", std::move(message)}; }
inline ControlError notFound(std::string message) { return ControlError{"not_found", std::move(message)}; }

// Each leaves `out` alone when the param is absent; false (with `error`) when present but of the
// wrong type, or absent although required.
bool readString(const nlohmann::json& params, const char* name, std::optional<std::string>& out,
                ControlError& error, bool required = false);
bool readUnsigned(const nlohmann::json& params, const char* name, std::optional<uint64_t>& out,
                  ControlError& error);
bool readBool(const nlohmann::json& params, const char* name, std::optional<bool>& out, ControlError& error);

}  // namespace sluice::control
