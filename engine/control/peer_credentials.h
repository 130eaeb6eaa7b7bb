#pragma once
// Who is on the other end of an accepted Unix socket: SO_PEERCRED (uid, gid, pid as of connect()),
// and the peer's supplementary groups. Control thread, at accept time; no blocking I/O beyond a
// small read of /proc when the kernel cannot tell the groups itself.

#include <sys/types.h>

#include <optional>
#include <vector>

#include "engine/control/control_method.h"

namespace sluice::control {

// nullopt when the kernel cannot tell (not a Unix socket).
std::optional<Peer> readPeerCredentials(int fd);

// The peer's supplementary groups. SO_PEERGROUPS (Linux 4.13+) gives them as of connect(), with no
// race against the peer exiting; older kernels fall back to the `Groups:` line of /proc/PID/status.
// Empty when neither is readable.
std::vector<gid_t> readPeerGroups(int fd, pid_t pid);

// The ids on a /proc/PID/status `Groups:` line ("Groups:\t4 24 27 \n"), for the fallback; exposed
// for tests. Stops at the first thing that is not a number.
std::vector<gid_t> parseStatusGroups(const char* status_text);

}  // namespace sluice::control
