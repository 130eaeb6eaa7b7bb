#pragma once
// The `tls:` block of one listener (see parse_tls.cpp). Internal to engine/config.

#include <optional>
#include <string>

#include "engine/config/config.h"
#include "engine/config/yaml_reader.h"

namespace sluice::config::detail {

// Fills `out` from `field` (the `tls` key and its map); `context` ("listener 'public'") prefixes
// messages. Reads and checks the certificate and key files.
void parseTls(const Field& field, const std::string& context, Diagnostics& diag,
              std::optional<TlsConfig>& out);

}  // namespace sluice::config::detail
