#pragma once
// One parser per top-level config section. Each reads `field` (the section's key and value), fills
// its part of the Config and reports every problem to `diag`. Internal to engine/config: the public
// entry points are in config_loader.h.

#include "engine/config/config.h"
#include "engine/config/yaml_reader.h"

namespace sluice::config::detail {

void parseListeners(const Field& field, Diagnostics& diag, std::vector<ListenerConfig>& out);
void parseUpstreams(const Field& field, Diagnostics& diag, std::vector<UpstreamConfig>& out);
void parseRateLimits(const Field& field, Diagnostics& diag, std::vector<RateLimitConfig>& out);
void parseRateLimitTable(const Field& field, Diagnostics& diag, RateLimitTableConfig& out);
void parseTrustedProxies(const Field& field, Diagnostics& diag, std::vector<core::Cidr>& out);
void parseCachePolicies(const Field& field, Diagnostics& diag, std::vector<CachePolicyConfig>& out);
void parseCache(const Field& field, Diagnostics& diag, CacheConfig& out);
void parseLimits(const Field& field, Diagnostics& diag, LimitsConfig& out);
void parseControl(const Field& field, Diagnostics& diag, ControlConfig& out);
void parseLog(const Field& field, Diagnostics& diag, LogConfig& out);
// Last: routes name upstreams, cache policies and rate limits, which must already be in `config`.
void parseRoutes(const Field& field, Diagnostics& diag, Config& config);

}  // namespace sluice::config::detail
