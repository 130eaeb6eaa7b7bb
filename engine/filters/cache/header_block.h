#pragma once
// A stored response's header block: its end-to-end fields as ready-to-send lines, "Name: value\r\n"
// each, in the origin's order and spelling. A hit sends it between the status line (plus the Age and
// the sender's own framing fields) and the blank line. Pure.

#include <string>
#include <string_view>

#include "engine/http/header_field.h"

namespace sluice::filters::cache {

// False for the fields a stored response never carries: hop-by-hop ones (Connection and the fields
// it names, Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade, Proxy-*), Content-Length (the sender
// re-frames), Age (computed per hit), Cache-Status (ours, per hit) and Set-Cookie (never shared).
// `connection_value` is the message's Connection field ("" when none), as in http/hop_by_hop.h.
bool isStoredField(std::string_view name, std::string_view connection_value);

std::string buildHeaderBlock(const http::HeaderList& response_headers);

// The fields of a block, as views into it. Lines without a colon are skipped; a last line without
// CRLF still counts. Works on any bytes (a block from a corrupt record yields junk, never a fault).
http::HeaderList parseHeaderBlock(std::string_view block);

// The value of the first line named `name` in a block, "" when none.
std::string_view blockField(std::string_view block, std::string_view name);

// Appends "name: value\r\n".
void appendHeaderLine(std::string& block, std::string_view name, std::string_view value);

}  // namespace sluice::filters::cache
