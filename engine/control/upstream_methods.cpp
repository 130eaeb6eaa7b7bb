#include "engine/control/upstream_methods.h"

#include <unordered_map>

#include "engine/control/audit.h"
#include "engine/control/method_params.h"

namespace sluice::control {
namespace {

const char* balanceName(config::Balance balance) {
  switch (balance) {
    case config::Balance::RoundRobin:
      return "round_robin";
    case config::Balance::LeastConn:
      return "least_conn";
    case config::Balance::ConsistentHash:
      return "consistent_hash";
  }
  return "round_robin";
}

struct Context {
  std::function<config::ConfigPtr()> config;
  const StatsAggregator* stats;
  DrainHooks hooks;
};

nlohmann::json listUpstreams(const Context& context) {
  const config::ConfigPtr config = context.config();
  // Snapshot entries are named "upstream/address", as the workers' metric shards are.
  std::unordered_map<std::string, const UpstreamServerSnapshot*> totals;
  for (const UpstreamServerSnapshot& s : context.stats->latest().upstreams) {
    totals.emplace(s.name, &s);
  }
  nlohmann::json upstreams = nlohmann::json::array();
  for (const config::UpstreamConfig& u : config->upstreams) {
    nlohmann::json servers = nlohmann::json::array();
    for (const config::Address& address : u.servers) {
      auto it = totals.find(u.name + "/" + address.text);
      const UpstreamServerSnapshot* s = it == totals.end() ? nullptr : it->second;
      servers.push_back(
          {{"address", address.text},
           {"drained", context.hooks.drained ? context.hooks.drained(u.name, address.text) : false},
           {"down", s != nullptr && s->down},
           {"health", s != nullptr ? s->health : std::string_view("unchecked")},
           {"breaker_open_workers", s != nullptr ? s->breaker_open_workers : 0},
           {"in_flight", s != nullptr ? s->in_flight : 0},
           {"requests_total", s != nullptr ? s->requests_total : 0},
           {"failures_total", s != nullptr ? s->failures_total : 0}});
    }
    upstreams.push_back(
        {{"name", u.name}, {"balance", balanceName(u.balance)}, {"servers", std::move(servers)}});
  }
  return {{"upstreams", std::move(upstreams)}};
}

// Checks {"upstream", "server"} against the running config; false with not_found naming what is
// unknown.
bool findServer(const Context& context, const nlohmann::json& params, std::string& upstream,
                std::string& server, ControlError& error) {
  std::optional<std::string> u;
  std::optional<std::string> s;
  if (!readString(params, "upstream", u, error, true) || !readString(params, "server", s, error, true)) {
    return false;
  }
  const config::ConfigPtr config = context.config();
  const config::UpstreamConfig* found = config->findUpstream(*u);
  if (found == nullptr) {
    error = notFound("no upstream '" + *u + "'");
    return false;
  }
  for (const config::Address& address : found->servers) {
    if (address.text == *s) {
      upstream = std::move(*u);
      server = std::move(*s);
      return true;
    }
  }
  error = notFound("upstream '" + *u + "' has no server '" + *s + "'");
  return false;
}

void setDrained(const Context& context, const Peer& peer, const nlohmann::json& params, bool drained,
                const ResponderPtr& reply) {
  std::string upstream;
  std::string server;
  ControlError error;
  if (!findServer(context, params, upstream, server, error)) {
    reply->fail(std::move(error));
    return;
  }
  if (!context.hooks.set_drained) {
    reply->fail(ControlError{"internal", "draining is not available in this build"});
    return;
  }
  context.hooks.set_drained(upstream, server, drained);
  audit(peer, std::string(drained ? "upstreams.drain " : "upstreams.undrain ") + upstream + " " + server);
  reply->ok({{"drained", drained}});
}

}  // namespace

void addUpstreamMethods(MethodTable& table, std::function<config::ConfigPtr()> config,
                        const StatsAggregator& aggregator, DrainHooks hooks) {
  auto context = std::make_shared<Context>(Context{std::move(config), &aggregator, std::move(hooks)});
  table.add("upstreams.list", [context](const Peer&, const nlohmann::json&, ResponderPtr reply) {
    reply->ok(listUpstreams(*context));
  });
  table.add("upstreams.drain", [context](const Peer& peer, const nlohmann::json& params, ResponderPtr reply) {
    setDrained(*context, peer, params, true, reply);
  });
  table.add("upstreams.undrain",
            [context](const Peer& peer, const nlohmann::json& params, ResponderPtr reply) {
              setDrained(*context, peer, params, false, reply);
            });
}

}  // namespace sluice::control
