#include "engine/http/hop_by_hop.h"

namespace sluice::http {

bool isHopByHop(std::string_view name, std::string_view connection_value) {
  // Every fixed name is 2..19 characters and starts with c, k, p, t or u: most end-to-end headers
  // are ruled out by those two checks alone.
  const char first = asciiLower(name.empty() ? '\0' : name.front());
  const bool may_be_fixed = name.size() >= 2 && name.size() <= 19 &&
                            (first == 'c' || first == 'k' || first == 'p' || first == 't' || first == 'u');
  if (!may_be_fixed) {
    return !connection_value.empty() && listContainsToken(connection_value, name);
  }
  static constexpr std::string_view kFixed[] = {
      "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
      "upgrade", "proxy-authorization", "proxy-authenticate", "content-length"};
  for (std::string_view fixed : kFixed) {
    if (equalsIgnoreCase(name, fixed)) {
      return true;
    }
  }
  return !connection_value.empty() && listContainsToken(connection_value, name);
}

std::string_view connectionHeader(const HeaderList& headers) {
  const HeaderField* h = findHeader(headers, "connection");
  return h != nullptr ? h->value : std::string_view();
}

}  // namespace sluice::http
