#include "engine/control/peer_policy.h"

#include <unistd.h>

#include <algorithm>

namespace sluice::control {
namespace {

template <typename T>
bool contains(const std::vector<T>& list, T value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

PeerPolicy PeerPolicy::fromConfig(const config::ControlConfig& control) {
  PeerPolicy policy;
  policy.node_uid = ::geteuid();
  policy.socket_gid = control.socket_group.value_or(::getegid());
  policy.uids = control.allow_uids;
  policy.groups = control.allow_groups;
  policy.max_clients = control.max_clients;
  return policy;
}

bool PeerPolicy::allows(const Peer& peer, const std::function<std::vector<gid_t>()>& supplementary) const {
  if (peer.uid == 0 || peer.uid == node_uid || contains(uids, peer.uid)) {
    return true;
  }
  const auto groupAllowed = [this](gid_t gid) { return gid == socket_gid || contains(groups, gid); };
  if (groupAllowed(peer.gid)) {
    return true;
  }
  if (!supplementary) {
    return false;
  }
  const std::vector<gid_t> more = supplementary();
  return std::any_of(more.begin(), more.end(), groupAllowed);
}

}  // namespace sluice::control
