#pragma once
// Where the control socket lives when the config does not say (DESIGN.md, "Service paths"): as root
// /run/sluice/control.sock; otherwise $XDG_RUNTIME_DIR/sluice/control.sock, or
// /tmp/sluice-$UID/control.sock when XDG_RUNTIME_DIR is unset. `sluice ctl` and the console use the
// same rule to find a node started by the same user.

#include <string>

namespace sluice::node {

std::string defaultControlSocketPath();
// `configured` when set, else defaultControlSocketPath().
std::string controlSocketPath(const std::string& configured);

}  // namespace sluice::node
