#pragma once
// The audit trail of the control socket: one log line per change a client makes (a config edit, a
// purge, a drain), naming who made it: `control: audit uid=1000 pid=4242 WHAT`. Control thread.

#include <string_view>

#include "engine/control/control_method.h"

namespace sluice::control {

void audit(const Peer& peer, std::string_view what);

}  // namespace sluice::control
