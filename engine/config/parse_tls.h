#pragma once
// The `tls:` blocks of listeners (parse_tls.cpp) and upstreams (parse_upstream_tls.cpp). Internal to
// engine/config.

#include <optional>
#include <string>

#include "engine/config/config.h"
#include "engine/config/yaml_reader.h"

namespace sluice::config::detail {

// Fills `out` from `field` (the `tls` key and its map); `context` ("listener 'public'") prefixes
// messages. Reads and checks the certificate and key files.
void parseTls(const Field& field, const std::string& context, Diagnostics& diag,
              std::optional<TlsConfig>& out);

// The `tls:` block of one upstream (parse_upstream_tls.cpp): verify, ca, sni.
void parseUpstreamTls(const Field& field, const std::string& context, Diagnostics& diag,
                      std::optional<UpstreamTlsConfig>& out);

}  // namespace sluice::config::detail
