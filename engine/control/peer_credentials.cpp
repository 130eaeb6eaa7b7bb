#include "engine/control/peer_credentials.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59  // Linux 4.13; older libc headers lack the name
#endif

namespace sluice::control {
namespace {

// NGROUPS_MAX on Linux is 65536; the groups beyond what fits are not looked at (a refusal at worst).
constexpr size_t kMaxGroups = 65536;

std::vector<gid_t> groupsFromProc(pid_t pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/status";
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return {};
  }
  // A status file is a couple of KiB; the Groups line holds at most NGROUPS_MAX ids.
  std::string text;
  char chunk[4096];
  while (text.size() < (1u << 20)) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) {
      break;
    }
    text.append(chunk, static_cast<size_t>(n));
  }
  ::close(fd);
  return parseStatusGroups(text.c_str());
}

}  // namespace

std::optional<Peer> readPeerCredentials(int fd) {
  ucred cred{};
  socklen_t length = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0 || length != sizeof cred) {
    return std::nullopt;
  }
  return Peer{cred.uid, cred.gid, cred.pid};
}

std::vector<gid_t> readPeerGroups(int fd, pid_t pid) {
  std::vector<gid_t> groups(64);
  while (true) {
    socklen_t length = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &length) == 0) {
      groups.resize(length / sizeof(gid_t));
      return groups;
    }
    // ERANGE: `length` now holds the size needed.
    if (errno == ERANGE && length / sizeof(gid_t) > groups.size() && groups.size() < kMaxGroups) {
      groups.resize(std::min<size_t>(length / sizeof(gid_t), kMaxGroups));
      continue;
    }
    break;
  }
  return pid > 0 ? groupsFromProc(pid) : std::vector<gid_t>{};
}

std::vector<gid_t> parseStatusGroups(const char* status_text) {
  std::vector<gid_t> out;
  const char* line = status_text;
  while (line != nullptr && *line != '\0') {
    if (std::strncmp(line, "Groups:", 7) == 0) {
      const char* p = line + 7;
      while (true) {
        while (*p == ' ' || *p == '\t') {
          ++p;
        }
        if (*p < '0' || *p > '9') {
          return out;
        }
        char* end = nullptr;
        const unsigned long long id = std::strtoull(p, &end, 10);
        if (end == p || id > 0xfffffffeULL) {
          return out;
        }
        out.push_back(static_cast<gid_t>(id));
        p = end;
      }
    }
    line = std::strchr(line, '\n');
    if (line != nullptr) {
      ++line;
    }
  }
  return out;
}

}  // namespace sluice::control
