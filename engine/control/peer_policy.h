#pragma once
// Who may use the control socket (docs/control-protocol.md, "The socket and who may use it"): root,
// the node's own user, `allow_uids`, and anyone whose primary or a supplementary group is the
// socket's group or in `allow_groups`. A plain value built from the config; the control server
// keeps one and replaces it on reload. Control thread.

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/config/config.h"
#include "engine/control/control_method.h"

namespace sluice::control {

struct PeerPolicy {
  uid_t node_uid = 0;
  gid_t socket_gid = 0;
  std::vector<uid_t> uids;
  std::vector<gid_t> groups;
  uint32_t max_clients = 64;

  // The node's effective ids fill in what the config leaves unset.
  static PeerPolicy fromConfig(const config::ControlConfig& control);

  // `supplementary` is only called when the uid and primary gid did not already decide (it may
  // read /proc).
  bool allows(const Peer& peer, const std::function<std::vector<gid_t>()>& supplementary) const;
};

}  // namespace sluice::control
