#pragma once
// Reading application/x-www-form-urlencoded query strings (admin endpoints): name=value pairs
// separated by '&', percent-decoded, '+' as space.

#include <optional>
#include <string>
#include <string_view>

namespace sluice::http {

// The decoded value of the first parameter called `name`; nullopt when absent or badly encoded.
// A parameter without '=' has an empty value.
std::optional<std::string> queryParam(std::string_view query, std::string_view name);

// Percent-decodes `text` ('+' is a space); nullopt on a bad escape.
std::optional<std::string> percentDecode(std::string_view text);

}  // namespace sluice::http
