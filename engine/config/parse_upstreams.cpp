// upstreams: the origin servers that routes proxy to.

#include <array>

#include "engine/config/parse_resilience.h"
#include "engine/config/parse_tls.h"
#include "engine/config/parse_sections.h"

namespace sluice::config::detail {
namespace {

constexpr std::array<std::string_view, 13> kUpstreamKeys{
    "name",            "servers",          "balance",      "keepalive",       "max_fails",     "fail_timeout",
    "connect_timeout", "response_timeout", "health_check", "circuit_breaker", "max_in_flight", "queue",
    "tls",
};

constexpr std::array<Choice<Balance>, 3> kBalances{{
    {"round_robin", Balance::RoundRobin},
    {"least_conn", Balance::LeastConn},
    {"consistent_hash", Balance::ConsistentHash},
}};

void parseServers(const MapReader& map, const std::string& context, UpstreamConfig& upstream) {
  Diagnostics& diag = map.diag();
  if (!map.require("servers", context)) {
    return;
  }
  const Field& field = *map.find("servers");
  std::optional<std::vector<Field>> items = readList(field, diag);
  if (!items) {
    return;
  }
  if (items->empty()) {
    diag.error(field.line, context + ": 'servers' must list at least one server");
    return;
  }
  for (const Field& item : *items) {
    std::optional<Address> server = readAddress(item, diag, false);
    if (!server) {
      continue;
    }
    for (const Address& other : upstream.servers) {
      if (other.host == server->host && other.port == server->port) {
        diag.error(item.line, context + ": server " + server->text + " is listed twice");
      }
    }
    upstream.servers.push_back(std::move(*server));
  }
}

}  // namespace

void parseUpstreams(const Field& field, Diagnostics& diag, std::vector<UpstreamConfig>& out) {
  std::optional<std::vector<Field>> items = readList(field, diag);
  if (!items) {
    return;
  }
  NameRegistry names("upstream");
  for (const Field& item : *items) {
    if (!expectMap(item, "each upstream", diag)) {
      continue;
    }
    MapReader map(item.value, kUpstreamKeys, diag);
    UpstreamConfig& upstream = out.emplace_back();
    upstream.where = diag.where(item.line);
    names.readName(map, upstream.name);
    const std::string context = entryContext("upstream", upstream.name);
    parseServers(map, context, upstream);
    map.readEnum("balance", upstream.balance, kBalances);
    map.readInt("keepalive", upstream.keepalive, 0, 100000);
    map.readInt("max_fails", upstream.max_fails, 1, 1000);
    map.read("fail_timeout", upstream.fail_timeout, Duration(1));
    map.read("connect_timeout", upstream.connect_timeout, Duration(1));
    map.read("response_timeout", upstream.response_timeout, Duration(1));
    parseUpstreamResilience(map, upstream);
    if (const Field* tls = map.find("tls")) {
      parseUpstreamTls(*tls, context, diag, upstream.tls);
    }
  }
}

}  // namespace sluice::config::detail
