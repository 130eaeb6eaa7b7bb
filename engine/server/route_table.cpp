#include "engine/server/route_table.h"

#include "engine/http/header_field.h"

namespace sluice::server {

std::string_view RouteTable::stripPort(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    const size_t close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(0, close + 1);
  }
  const size_t colon = host.rfind(':');
  return colon == std::string_view::npos ? host : host.substr(0, colon);
}

bool RouteTable::hostMatches(std::string_view pattern, std::string_view host) {
  if (pattern.empty()) {
    return true;
  }
  if (pattern.size() > 2 && pattern[0] == '*' && pattern[1] == '.') {
    const std::string_view suffix = pattern.substr(1);  // ".example.com"
    return host.size() > suffix.size() &&
           http::equalsIgnoreCase(host.substr(host.size() - suffix.size()), suffix);
  }
  return http::equalsIgnoreCase(pattern, host);
}

int RouteTable::match(std::string_view host, std::string_view path) const {
  const std::string_view bare = stripPort(host);
  for (size_t i = 0; i < config_.routes.size(); ++i) {
    const config::RouteMatch& m = config_.routes[i].match;
    if (!hostMatches(m.host, bare)) {
      continue;
    }
    if (!m.path_exact.empty()) {
      if (path != m.path_exact) {
        continue;
      }
    } else if (!m.path_prefix.empty() && path.substr(0, m.path_prefix.size()) != m.path_prefix) {
      continue;
    }
    return static_cast<int>(i);
  }
  return -1;
}

}  // namespace sluice::server
