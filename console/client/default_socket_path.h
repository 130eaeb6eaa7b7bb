#pragma once
// The control socket a console looks for when told nothing (DESIGN.md, "Service paths"):
// /run/sluice/control.sock as root, else $XDG_RUNTIME_DIR/sluice/control.sock, else
// /tmp/sluice-$UID/control.sock. The same rule as the node's `control.socket` default, plus the
// one `sluice ctl` has: a non-root user whose own socket does not exist while the system one does
// (the packaged service, the user in group sluice) gets the system one.

#include <QString>

namespace sluice::console {

QString defaultSocketPath();

}  // namespace sluice::console
