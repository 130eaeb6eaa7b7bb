// The Node's side of the control socket: binding it at start-up, the methods it serves, reloads
// and shutdown. The socket itself is control::ControlServer; the methods live in engine/control/.

#include "engine/control/cache_methods.h"
#include "engine/control/node_methods.h"
#include "engine/control/stats_methods.h"
#include "engine/control/upstream_methods.h"
#include "engine/log/logger.h"
#include "engine/node/control_socket_path.h"
#include "engine/node/node.h"

namespace sluice::node {
namespace {

std::string drainKey(std::string_view upstream, std::string_view server) {
  std::string key(upstream);
  key += '/';
  key += server;
  return key;
}

}  // namespace

// Runs before anything starts a thread: the socket is bound under a temporary umask (per process).
bool Node::bindControlSocket(const config::Config& cfg) {
  control_ = std::make_unique<control::ControlServer>(&loop_, control_methods_,
                                                      control::PeerPolicy::fromConfig(cfg.control));
  const std::string path = controlSocketPath(cfg.control.socket);
  std::string error;
  if (!control_->bind(path, cfg.control.socket_group, error)) {
    log::error("{}: control.socket: {}", cfg.source, error);
    return false;
  }
  return true;
}

void Node::registerControlMethods() {
  control_tasks_ = core::TaskQueue::create(&loop_);
  auto config = [this] { return config_; };
  control::addNodeMethods(control_methods_,
                          {config, started_, [this] { return !config_path_.empty(); }});
  control::addStatsMethods(control_methods_, *aggregator_);
  control::addCacheMethods(control_methods_, [this] { return cache_; }, control_tasks_);
  control::DrainHooks drain;
  // integrator: return drain_board_->drained(upstream, server);
  drain.drained = [this](std::string_view upstream, std::string_view server) {
    return drained_servers_.count(drainKey(upstream, server)) > 0;
  };
  // integrator: drain_board_->setDrained(upstream, server, drained);
  drain.set_drained = [this](std::string_view upstream, std::string_view server, bool drained) {
    if (drained) {
      drained_servers_.insert(drainKey(upstream, server));
    } else {
      drained_servers_.erase(drainKey(upstream, server));
    }
  };
  control::addUpstreamMethods(control_methods_, config, *aggregator_, std::move(drain));
}

bool Node::listenControlSocket() {
  std::string error;
  if (!control_->listen(error)) {
    log::error("{}: control.socket: {}", config_->source, error);
    return false;
  }
  return true;
}

void Node::reloadControl(const config::Config& next) {
  if (!control_) {
    return;
  }
  if (next.control.socket != config_->control.socket || next.control.socket_group != config_->control.socket_group) {
    log::warn("reload: control.socket and control.socket_group take effect at the next restart");
  }
  control_->setPolicy(control::PeerPolicy::fromConfig(next.control));
}

void Node::closeControl() {
  if (control_) {
    control_->close();
  }
  if (control_tasks_) {
    control_tasks_->close();
  }
}

}  // namespace sluice::node
