#include "engine/control/socket_file.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sluice::control {
namespace {

std::string errnoText(int code) {
  return std::strerror(code);
}

bool makeAddress(const std::string& path, sockaddr_un& address, std::string& error) {
  if (path.empty() || path.size() >= sizeof(address.sun_path)) {
    error = "control socket path '" + path + "' must be 1.." + std::to_string(sizeof(address.sun_path) - 1) +
            " bytes (the limit of a Unix socket address)";
    return false;
  }
  address = sockaddr_un{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  return true;
}

// Creates the missing folders of `folder` (mode 0750, given `group` so its members can reach the
// socket). An existing folder must belong to root or to us: anyone else could swap the socket.
bool ensureFolder(const std::string& folder, std::optional<gid_t> group, std::string& error) {
  if (folder.empty()) {
    return true;
  }
  struct stat st {};
  if (::stat(folder.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) {
      error = folder + " is not a folder";
      return false;
    }
    if (st.st_uid != 0 && st.st_uid != ::geteuid()) {
      error = folder + " belongs to uid " + std::to_string(st.st_uid) + ", not to root or this user";
      return false;
    }
    return true;
  }
  if (errno != ENOENT) {
    error = "cannot reach " + folder + ": " + errnoText(errno);
    return false;
  }
  const size_t slash = folder.find_last_of('/');
  if (slash != std::string::npos && slash > 0 && !ensureFolder(folder.substr(0, slash), group, error)) {
    return false;
  }
  if (::mkdir(folder.c_str(), 0750) != 0 && errno != EEXIST) {
    error = "cannot create " + folder + ": " + errnoText(errno);
    return false;
  }
  // mkdir's mode is filtered by the umask; the folder's mode is set exactly.
  if (::chmod(folder.c_str(), 0750) != 0 || (group && ::chown(folder.c_str(), static_cast<uid_t>(-1), *group) != 0)) {
    error = "cannot set the owner or mode of " + folder + ": " + errnoText(errno);
    return false;
  }
  return true;
}

// A socket file that nobody listens on any more (ECONNREFUSED) is left by a node that died; one
// that accepts (or whose backlog is full) belongs to a node that runs.
bool clearStale(const std::string& path, const sockaddr_un& address, std::string& error) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return true;
    }
    error = "cannot reach " + path + ": " + errnoText(errno);
    return false;
  }
  if (!S_ISSOCK(st.st_mode)) {
    error = path + " exists and is not a socket";
    return false;
  }
  const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (probe < 0) {
    error = "socket: " + errnoText(errno);
    return false;
  }
  const int rc = ::connect(probe, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  const int code = errno;
  ::close(probe);
  if (rc == 0 || code == EAGAIN) {
    error = "another node is listening on " + path;
    return false;
  }
  if (code != ECONNREFUSED) {
    error = "cannot check the existing socket " + path + ": " + errnoText(code);
    return false;
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    error = "cannot remove the stale socket " + path + ": " + errnoText(errno);
    return false;
  }
  return true;
}

}  // namespace

bool bindSocketFile(const std::string& path, std::optional<gid_t> group, BoundSocketFile& out, std::string& error) {
  sockaddr_un address{};
  if (!makeAddress(path, address, error)) {
    return false;
  }
  const size_t slash = path.find_last_of('/');
  const std::string folder = slash == std::string::npos ? "" : path.substr(0, slash);
  if (!ensureFolder(folder, group, error) || !clearStale(path, address, error)) {
    return false;
  }
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = "socket: " + errnoText(errno);
    return false;
  }
  // The file is created 0600: no one else can connect before it has its group and 0660.
  const mode_t old_mask = ::umask(0177);
  const int rc = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  const int code = errno;
  ::umask(old_mask);
  if (rc != 0) {
    ::close(fd);
    error = "cannot bind " + path + ": " + errnoText(code);
    return false;
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 ||
      (group && ::lchown(path.c_str(), static_cast<uid_t>(-1), *group) != 0) || ::chmod(path.c_str(), 0660) != 0) {
    error = "cannot set the group or mode of " + path + ": " + errnoText(errno);
    ::close(fd);
    ::unlink(path.c_str());
    return false;
  }
  out.fd = fd;
  out.dev = st.st_dev;
  out.ino = st.st_ino;
  return true;
}

void removeSocketFile(const std::string& path, const BoundSocketFile& bound) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && st.st_dev == bound.dev && st.st_ino == bound.ino) {
    ::unlink(path.c_str());
  }
}

}  // namespace sluice::control
