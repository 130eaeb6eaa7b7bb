#include "engine/node/data_paths.h"

#include <unistd.h>

#include <cstdlib>

namespace sluice::node {

std::string defaultDataDir() {
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
