#include "engine/control/audit.h"

#include "engine/log/logger.h"

namespace sluice::control {

void audit(const Peer& peer, std::string_view what) {
  log::info("control: audit uid={} pid={} {}", peer.uid, peer.pid, what);
}

}  // namespace sluice::control
