#pragma once
// Builds the `policy` object of rate_limits.set / cache_policies.set from what a user types:
// `key=value` words, or a JSON or YAML file with one entry. Values read like YAML scalars do in
// config.get: integers and floats become JSON numbers, true/false booleans, `a,b` (or `[a,b]`) a
// list of such values; everything else stays a string ("1m", "8MiB", "header:x-api-key"). A value
// in quotes ('...' or "...") is always one string. Pure functions; nothing throws.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::ctl {

// One scalar as the config would read it: "100" -> 100, "1.5" -> 1.5, "true" -> true, "1m" -> "1m".
nlohmann::json scalarValue(std::string_view text);

// A value as typed after `key=`: a scalar, a quoted string, or a comma-separated list.
nlohmann::json argumentValue(std::string_view text);

// Adds each `key=value` word to `policy` (a later key replaces an earlier one). nullopt with `error`
// set when a word has no '=' or an empty key.
std::optional<nlohmann::json> parsePolicyArgs(const std::vector<std::string>& words, nlohmann::json policy,
                                              std::string& error);

// The policy in a file: JSON (text starting with '{' or '[') or YAML; one mapping, or a list holding
// exactly one mapping (a `rate_limits:` entry pasted as is). nullopt with `error` set otherwise.
std::optional<nlohmann::json> parsePolicyText(std::string_view text, std::string& error);

}  // namespace sluice::ctl
