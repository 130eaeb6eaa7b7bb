#include "engine/http/hop_by_hop.h"

namespace sluice::http {

bool isHopByHop(std::string_view name, std::string_view connection_value) {
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
