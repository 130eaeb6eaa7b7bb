#include "engine/control/node_methods.h"

#include <unistd.h>

#include "version.h"

namespace sluice::control {
namespace {

const char* handlerName(config::RouteHandler handler) {
  switch (handler) {
    case config::RouteHandler::Proxy:
      return "proxy";
    case config::RouteHandler::Respond:
      return "respond";
    case config::RouteHandler::Status:
      return "status";
  }
  return "proxy";
}

nlohmann::json nullIfEmpty(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

}  // namespace

nlohmann::json routesJson(const config::Config& config) {
  nlohmann::json routes = nlohmann::json::array();
  for (const config::RouteConfig& r : config.routes) {
    nlohmann::json match = nlohmann::json::object();
    if (!r.match.host.empty()) {
      match["host"] = r.match.host;
    }
    if (!r.match.path_prefix.empty()) {
      match["path_prefix"] = r.match.path_prefix;
    }
    if (!r.match.path_exact.empty()) {
      match["path_exact"] = r.match.path_exact;
    }
    routes.push_back({{"name", r.name},
                      {"match", std::move(match)},
                      {"handler", handlerName(r.handler)},
                      {"upstream", r.handler == config::RouteHandler::Proxy ? nullIfEmpty(r.upstream) : nullptr},
                      {"cache", nullIfEmpty(r.cache)},
                      {"rate_limits", r.rate_limits}});
  }
  return routes;
}

void addNodeMethods(MethodTable& table, NodeIdentity identity) {
  auto shared = std::make_shared<NodeIdentity>(std::move(identity));
  table.add("hello", [shared](const Peer& peer, const nlohmann::json&, ResponderPtr reply) {
    const config::ConfigPtr config = shared->config();
    const double uptime =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - shared->started).count();
    reply->ok({{"version", kVersion},
               {"node", config->node_name},
               {"pid", ::getpid()},
               {"uptime_s", uptime},
               {"config_version", config->version},
               {"config_source", config->source},
               {"persisted", shared->persisted()},
               {"peer_uid", peer.uid}});
  });
  table.add("routes.list", [shared](const Peer&, const nlohmann::json&, ResponderPtr reply) {
    reply->ok({{"routes", routesJson(*shared->config())}});
  });
}

}  // namespace sluice::control
