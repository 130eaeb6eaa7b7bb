#include "engine/node/control_socket_path.h"

#include <unistd.h>

#include <cstdlib>

namespace sluice::node {

std::string defaultControlSocketPath() {
  if (::geteuid() == 0) {
    return "/run/sluice/control.sock";
  }
  if (const char* xdg = std::getenv("XDG_RUNTIME_DIR"); xdg != nullptr && xdg[0] == '/') {
    return std::string(xdg) + "/sluice/control.sock";
  }
  return "/tmp/sluice-" + std::to_string(::geteuid()) + "/control.sock";
}

std::string controlSocketPath(const std::string& configured) {
  return configured.empty() ? defaultControlSocketPath() : configured;
}

}  // namespace sluice::node
