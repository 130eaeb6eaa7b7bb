#pragma once
// Forgiving reads from the node's replies for display: a missing or mistyped field reads as 0, ""
// or false (clients must ignore what they do not know and survive what is missing), never throws.

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>

namespace sluice::ctl {

// The value at `path` (object keys), or null.
const nlohmann::json& at(const nlohmann::json& j, std::initializer_list<const char*> path);
double number(const nlohmann::json& j, std::initializer_list<const char*> path);
std::string text(const nlohmann::json& j, std::initializer_list<const char*> path);
bool boolean(const nlohmann::json& j, std::initializer_list<const char*> path);
// Any scalar as a table cell: strings as they are, numbers without a trailing ".0", lists joined
// with ",", null as "-".
std::string cell(const nlohmann::json& value);

}  // namespace sluice::ctl
