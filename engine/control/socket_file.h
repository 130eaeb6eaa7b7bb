#pragma once
// The control socket's file: the folder made when missing (0750), a stale socket left by a crashed
// node replaced (one that still answers is refused), the socket bound so that the file is never
// accessible to others, then given its group and mode 0660. Control thread, at start-up, before
// any other thread exists: the bind runs under a temporary umask, which is per process.

#include <sys/types.h>

#include <optional>
#include <string>

namespace sluice::control {

struct BoundSocketFile {
  int fd = -1;   // bound, not listening yet; the caller owns it
  dev_t dev = 0;  // identify the file, so that shutdown removes only our own
  ino_t ino = 0;
};

// False with `error` ("another node is listening on PATH", "cannot create FOLDER: ...") on failure.
bool bindSocketFile(const std::string& path, std::optional<gid_t> group, BoundSocketFile& out, std::string& error);

// Unlinks `path` if it is still the file bindSocketFile made (a newer node may have replaced it).
void removeSocketFile(const std::string& path, const BoundSocketFile& bound);

}  // namespace sluice::control
