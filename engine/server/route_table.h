#pragma once
// The routes of one config snapshot, matched in order: first match wins. Host patterns are exact
// ("api.example.com") or a suffix ("*.example.com" matches any subdomain, not the bare domain),
// compared without the port and case-insensitively. Paths match by prefix or exactly.

#include <string_view>

#include "engine/config/config.h"

namespace sluice::server {

class RouteTable {
 public:
  explicit RouteTable(const config::Config& config) : config_(config) {}

  // The index into config.routes, or -1 when no route matches.
  int match(std::string_view host, std::string_view path) const;

  static bool hostMatches(std::string_view pattern, std::string_view host);
  static std::string_view stripPort(std::string_view host);

 private:
  const config::Config& config_;
};

}  // namespace sluice::server
