#pragma once
// Which control socket `sluice ctl` talks to: `--socket PATH`, else $SLUICE_SOCKET, else the node's
// default for this user (node::defaultControlSocketPath()). A non-root user whose own default does not
// exist but the system socket does (/run/sluice/control.sock: the packaged service, with the user in
// the `sluice` group) gets the system socket.

#include <string>

namespace sluice::ctl {

std::string resolveSocketPath(const std::string& option);

}  // namespace sluice::ctl
