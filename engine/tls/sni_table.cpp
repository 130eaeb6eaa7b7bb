#include "engine/tls/sni_table.h"

#include <algorithm>
#include <cctype>

namespace sluice::tls {

void SniTable::add(size_t index, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    if (name.size() > 2 && name.compare(0, 2, "*.") == 0) {
      wildcard_.try_emplace(name.substr(2), index);
    } else if (!name.empty()) {
      exact_.try_emplace(name, index);
    }
  }
}

std::optional<size_t> SniTable::find(std::string_view host) const {
  // Host names are at most 253 bytes; a longer SNI value matches nothing.
  if (host.empty() || host.size() > 253) {
    return std::nullopt;
  }
  std::string lower(host);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (auto it = exact_.find(lower); it != exact_.end()) {
    return it->second;
  }
  const size_t dot = lower.find('.');
  if (dot == std::string::npos || dot == 0) {
    return std::nullopt;
  }
  if (auto it = wildcard_.find(lower.substr(dot + 1)); it != wildcard_.end()) {
    return it->second;
  }
  return std::nullopt;
}

}  // namespace sluice::tls
