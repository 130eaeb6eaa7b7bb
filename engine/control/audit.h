#pragma once
// The audit trail of changes made over the control socket (config edits, purges, drains): one log
// line per change, naming who made it:
// `control: audit uid=1000 pid=4242 rate_limits.set per_ip: config version 7 -> 8`. Any thread.

#include <string_view>

#include "engine/control/control_method.h"

namespace sluice::control {

void audit(const Peer& peer, std::string_view what);

}  // namespace sluice::control
