// listeners: where the node accepts connections.

#include <arpa/inet.h>

#include <array>
#include <cstring>

#include "engine/config/parse_sections.h"
#include "engine/config/parse_tls.h"

namespace sluice::config::detail {
namespace {

constexpr std::array<std::string_view, 5> kListenerKeys{"name", "address", "tls", "max_connections_per_ip",
                                                        "max_connections"};

// The same address however it is spelt ("[::1]" and "[0::1]"), for the duplicate check.
std::string canonical(const Address& address) {
  std::array<unsigned char, 16> bytes{};
  const int family = address.host.find(':') == std::string::npos ? AF_INET : AF_INET6;
  inet_pton(family, address.host.c_str(), bytes.data());
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()) + std::to_string(family) +
         ":" + std::to_string(address.port);
}

}  // namespace

void parseListeners(const Field& field, Diagnostics& diag, std::vector<ListenerConfig>& out) {
  std::optional<std::vector<Field>> items = readList(field, diag);
  if (!items) {
    return;
  }
  if (items->empty()) {
    diag.error(field.line, "'listeners' must list at least one listener");
    return;
  }
  NameRegistry names("listener");
  std::vector<std::pair<std::string, std::string>> bound;  // canonical address, listener name
  for (const Field& item : *items) {
    if (!expectMap(item, "each listener", diag)) {
      continue;
    }
    MapReader map(item.value, kListenerKeys, diag);
    ListenerConfig& listener = out.emplace_back();
    listener.where = diag.where(item.line);
    names.readName(map, listener.name);
    const std::string context = entryContext("listener", listener.name);
    if (const Field* tls = map.find("tls")) {
      parseTls(*tls, context, diag, listener.tls);
    }
    map.readInt("max_connections_per_ip", listener.max_connections_per_ip, 0, 10'000'000);
    map.readInt("max_connections", listener.max_connections, 0, 10'000'000);
    if (!map.require("address", context) || !map.readAddress("address", listener.address, true)) {
      continue;
    }
    if (listener.address.port == 0) {
      continue;  // each gets its own port from the OS
    }
    const std::string key = canonical(listener.address);
    for (const auto& [other_key, other] : bound) {
      if (other_key == key) {
        diag.error(map.find("address")->line, context + ": address " + listener.address.text +
                                                  " is already used by listener '" + other + "'");
      }
    }
    bound.emplace_back(key, listener.name);
  }
}

}  // namespace sluice::config::detail
