#pragma once
// `sluice ctl`: the command-line client of the control socket (docs/control-protocol.md).

namespace sluice::ctl {

// `args` are the words after `ctl`; returns the process exit code (session.h).
int runCtl(int argc, char** argv);

}  // namespace sluice::ctl
