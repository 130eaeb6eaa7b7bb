#include "engine/filters/rate_limit/client_address.h"

namespace sluice::rate_limit {

bool isTrusted(const core::IpAddress& ip, std::span<const core::Cidr> trusted) {
  for (const core::Cidr& cidr : trusted) {
    if (cidr.contains(ip)) {
      return true;
    }
  }
  return false;
}

core::IpAddress clientAddress(const core::IpAddress& peer, const http::HeaderList& headers,
                              std::span<const core::Cidr> trusted) {
  if (trusted.empty() || !isTrusted(peer, trusted)) {
    return peer;
  }
  core::IpAddress client = peer;
  for (auto field = headers.rbegin(); field != headers.rend(); ++field) {
    if (!http::equalsIgnoreCase(field->name, "x-forwarded-for")) {
      continue;
    }
    std::string_view rest = field->value;
    while (!rest.empty()) {
      const size_t comma = rest.rfind(',');
      const std::string_view entry =
          http::trimOws(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
      if (entry.empty()) {
        continue;  // "a,,b" or a trailing comma: an empty list element, not an address
      }
      std::optional<core::IpAddress> hop = core::parseIp(entry);
      if (!hop) {
        return client;
      }
      client = *hop;
      if (!isTrusted(client, trusted)) {
        return client;
      }
    }
  }
  return client;
}

}  // namespace sluice::rate_limit
