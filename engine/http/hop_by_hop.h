#pragma once
// Hop-by-hop headers (RFC 9110, 7.6.1): never forwarded, in either direction. Framing headers
// (Content-Length, Transfer-Encoding) are also dropped here because Sluice re-frames every message.

#include <string_view>

#include "engine/http/header_field.h"

namespace sluice::http {

// `connection_value` is the Connection header of the same message ("" when absent): any header it
// names is hop-by-hop too.
bool isHopByHop(std::string_view name, std::string_view connection_value);

// The joined values of every Connection header of a message (usually one).
std::string_view connectionHeader(const HeaderList& headers);

}  // namespace sluice::http
