#include "engine/node/data_paths.h"

#include <unistd.h>

#include <cstdlib>

namespace sluice::node {

std::string defaultDataDir() {
  // An explicit data dir wins (tests, or several nodes on one machine): without it every node of a
  // user shares one config history and one default cache folder.
  if (const char* dir = std::getenv("SLUICE_DATA_DIR"); dir != nullptr && dir[0] == '/') {
    return dir;
  }
  if (::geteuid() == 0) {
    return "/var/lib/sluice";
  }
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && xdg[0] == '/') {
    return std::string(xdg) + "/sluice";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') {
    return std::string(home) + "/.local/share/sluice";
  }
  return "/tmp/sluice-" + std::to_string(::geteuid());
}

std::string dataPath(const std::string& configured, const std::string& leaf) {
  return configured.empty() ? defaultDataDir() + "/" + leaf : configured;
}

}  // namespace sluice::node
