#pragma once
// host:port parsing for listeners, upstream servers and the admin endpoint. Pure functions.

#include <optional>
#include <string>
#include <string_view>

#include "engine/config/config.h"

namespace sluice::config {

// "127.0.0.1:8080", "[::1]:8080", and with !require_numeric_host also "backend.local:9000".
// require_numeric_host is for addresses we bind to: the host must be a numeric IP (inet_pton) and
// port 0 is allowed (the OS picks one). Otherwise (addresses we connect to) the port is 1..65535.
// IPv6 must be bracketed; Address::host holds it without the brackets.
std::optional<Address> parseAddress(std::string_view text, bool require_numeric_host);

// The same, saying why on failure ("port must be 1..65535"): `error` gets a reason, no prefix.
std::optional<Address> parseAddress(std::string_view text, bool require_numeric_host, std::string* error);

}  // namespace sluice::config
