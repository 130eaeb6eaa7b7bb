#pragma once
// Where the node keeps its data and its control socket when the config does not say (DESIGN.md,
// "Service paths"): as root /var/lib/sluice and /run/sluice/control.sock; otherwise
// $XDG_DATA_HOME/sluice (or ~/.local/share/sluice) and $XDG_RUNTIME_DIR/sluice/control.sock (or
// /tmp/sluice-$UID/control.sock). Shared by the node and `sluice ctl`, so both agree.

#include <string>

namespace sluice::node {

std::string defaultDataDir();
// `configured` when set, else defaultDataDir() + "/" + leaf.
std::string dataPath(const std::string& configured, const std::string& leaf);

// The control socket's path when `control.socket` is not set.
std::string defaultControlSocket();

}  // namespace sluice::node
