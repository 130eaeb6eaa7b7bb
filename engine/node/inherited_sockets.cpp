#include "engine/node/inherited_sockets.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/log/logger.h"

namespace sluice::node {
namespace {

// A descriptor we may use: open, a listening socket, and close-on-exec from now on (the next
// upgrade passes it on deliberately, nothing else inherits it).
bool adoptDescriptor(int fd) {
  if (fd < 3) {
    return false;
  }
  int listening = 0;
  socklen_t length = sizeof(listening);
  if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) != 0 || listening == 0) {
    return false;
  }
  return ::fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
}

int readFd(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) {
    return -1;
  }
  return it->get<int>();
}

}  // namespace

InheritedSockets::~InheritedSockets() { closeUnused(); }

void InheritedSockets::takeFromEnvironment() {
  const char* raw = std::getenv(kInheritedFdsVariable);
  if (raw == nullptr) {
    return;
  }
  const std::string text = raw;
  ::unsetenv(kInheritedFdsVariable);
  const nlohmann::json map = nlohmann::json::parse(text, nullptr, false);
  if (map.is_discarded() || !map.is_object() || readFd(map, "parent") <= 0) {
    log::warn("{}: not a socket map from an upgrading node; ignored", kInheritedFdsVariable);
    return;
  }
  parent_ = static_cast<pid_t>(readFd(map, "parent"));
  ready_fd_ = readFd(map, "ready");
  if (ready_fd_ >= 0) {
    ::fcntl(ready_fd_, F_SETFD, FD_CLOEXEC);
  }
  control_ = readFd(map, "control");
  admin_ = readFd(map, "admin");
  for (int* fd : {&control_, &admin_}) {
    if (*fd >= 0 && !adoptDescriptor(*fd)) {
      log::warn("{}: descriptor {} is not a listening socket; ignored", kInheritedFdsVariable, *fd);
      *fd = -1;
    }
  }
  if (const auto it = map.find("listeners"); it != map.end() && it->is_object()) {
    for (const auto& [name, fds] : it->items()) {
      if (!fds.is_array()) {
        continue;
      }
      for (const nlohmann::json& fd : fds) {
        if (fd.is_number_integer() && adoptDescriptor(fd.get<int>())) {
          listeners_[name].push_back(fd.get<int>());
        }
      }
    }
  }
  // systemd's watchdog is addressed to the main process; this one becomes it once the old node
  // hands over (it tells systemd MAINPID=), so the pings must come from here.
  if (const char* watchdog_pid = std::getenv("WATCHDOG_PID");
      watchdog_pid != nullptr && std::string_view(watchdog_pid) == std::to_string(parent_)) {
    ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  }
  log::info("binary upgrade: taking over the sockets of node {}", parent_);
}

std::vector<int> InheritedSockets::takeListener(const std::string& name) {
  const auto it = listeners_.find(name);
  if (it == listeners_.end()) {
    return {};
  }
  std::vector<int> fds = std::move(it->second);
  listeners_.erase(it);
  return fds;
}

int InheritedSockets::takeControl() { return std::exchange(control_, -1); }

int InheritedSockets::takeAdmin() { return std::exchange(admin_, -1); }

void InheritedSockets::signalReady() {
  if (ready_fd_ < 0) {
    return;
  }
  constexpr std::string_view kLine = "ready\n";
  ssize_t n = 0;
  do {
    n = ::write(ready_fd_, kLine.data(), kLine.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    log::warn("binary upgrade: cannot tell node {} that this one serves: {}", parent_, std::strerror(errno));
  }
  ::close(ready_fd_);
  ready_fd_ = -1;
}

void InheritedSockets::closeUnused() {
  for (int* fd : {&control_, &admin_}) {
    if (*fd >= 0) {
      ::close(*fd);
      *fd = -1;
    }
  }
  for (auto& [name, fds] : listeners_) {
    log::info("binary upgrade: listener {} is no longer configured; closing its inherited sockets", name);
    for (int fd : fds) {
      ::close(fd);
    }
  }
  listeners_.clear();
}

}  // namespace sluice::node
