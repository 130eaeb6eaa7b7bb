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

// Runs before anything starts a thread: the socket is bound under a temporary umask (per process).
bool Node::bindControlSocket(const config::Config& cfg) {
  control_ = std::make_unique<control::ControlServer>(&loop_, control_methods_,
                                                      control::PeerPolicy::fromConfig(cfg.control));
  const std::string path = controlSocketPath(cfg.control.socket);
  if (const int inherited = inherited_.takeControl(); inherited >= 0 && control_->adopt(path, inherited)) {
    return true;
  }
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
  control::addNodeMethods(control_methods_, {config, started_, [this] { return !config_path_.empty(); }});
  control::addStatsMethods(control_methods_, snapshot_lines_);
  control::addCacheMethods(
      control_methods_, [this] { return cache_; }, control_tasks_);
  control::DrainHooks drain;
  drain.drained = [board = drain_board_](std::string_view upstream, std::string_view server) {
    return board->drained(upstream, server);
  };
  drain.set_drained = [board = drain_board_](std::string_view upstream, std::string_view server, bool drained) {
    board->setDrained(upstream, server, drained);
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
  if (next.control.socket != config_->control.socket ||
      next.control.socket_group != config_->control.socket_group) {
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
