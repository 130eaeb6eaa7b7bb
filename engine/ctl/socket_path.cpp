#include "engine/ctl/socket_path.h"

#include <sys/stat.h>

#include <cstdlib>

#include "engine/node/control_socket_path.h"

namespace sluice::ctl {
namespace {

constexpr const char* kSystemSocket = "/run/sluice/control.sock";

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

std::string resolveSocketPath(const std::string& option) {
  if (!option.empty()) {
    return option;
  }
  if (const char* env = std::getenv("SLUICE_SOCKET"); env != nullptr && env[0] != '\0') {
    return env;
  }
  const std::string own = node::defaultControlSocketPath();
  if (own != kSystemSocket && !exists(own) && exists(kSystemSocket)) {
    return kSystemSocket;
  }
  return own;
}

}  // namespace sluice::ctl
