// writeFileAtomically: readers of `path` see the old file or the new one, never a mix, and after a
// crash the file is one of the two (the rename is made durable by the folder's fsync).

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "engine/config/config_history.h"
#include "engine/log/logger.h"

namespace sluice::config {
namespace {

constexpr mode_t kNewFileMode = 0640;

std::string folderOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string leafOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool writeAll(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// The temp file's mode and owner: those of the file it replaces, or 0640 for a new one. The owner is
// only changed when it differs (changing it needs privileges the node may not have).
bool copyModeAndOwner(int fd, const std::string& path, std::string& what) {
  struct stat old {};
  if (::stat(path.c_str(), &old) != 0) {
    if (errno != ENOENT) {
      what = "cannot stat it";
      return false;
    }
    return ::fchmod(fd, kNewFileMode) == 0;
  }
  if (::fchmod(fd, old.st_mode & 07777) != 0) {
    return false;
  }
  struct stat mine {};
  if (::fstat(fd, &mine) != 0) {
    return false;
  }
  if ((mine.st_uid != old.st_uid || mine.st_gid != old.st_gid) && ::fchown(fd, old.st_uid, old.st_gid) != 0) {
    what = "cannot keep its owner " + std::to_string(old.st_uid) + ":" + std::to_string(old.st_gid);
    return false;
  }
  return true;
}

bool syncFolder(const std::string& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return false;
  }
  const bool ok = ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  errno = saved;
  return ok;
}

// A symlinked config (/etc/sluice/sluice.yaml -> /srv/config/sluice.yaml) stays a symlink: the file
// it points to is replaced, in its own folder.
std::string resolveSymlink(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) {
    return path;
  }
  std::unique_ptr<char, decltype(&std::free)> real(::realpath(path.c_str(), nullptr), &std::free);
  return real ? std::string(real.get()) : path;
}

// Creates the temp file next to `target` with O_EXCL under a name no other writer picks (pid, a
// counter, the clock). open() rather than mkostemp(): ThreadSanitizer sees open() create the
// descriptor, so a number reused from a socket libuv closed with a raw syscall is not taken for it.
int createTempFile(const std::string& target, std::string& temp) {
  static std::atomic<unsigned> counter{0};
  constexpr int kAttempts = 16;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    const auto nonce = static_cast<unsigned long long>(
        std::chrono::steady_clock::now().time_since_epoch().count());
    temp = folderOf(target) + "/." + leafOf(target) + ".tmp-" + std::to_string(::getpid()) + "-" +
           std::to_string(counter.fetch_add(1)) + "-" + std::to_string(nonce % 1000000);
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0 || errno != EEXIST) {
      return fd;
    }
  }
  return -1;
}

}  // namespace

bool writeFileAtomically(const std::string& path, std::string_view text, std::string& error) {
  const std::string target = resolveSymlink(path);
  const std::string folder = folderOf(target);
  std::string temp;
  std::string what;
  // Closes and removes the temp file (when there is one), keeping errno for the message.
  auto fail = [&](int fd, bool temp_exists) {
    const int saved = errno;
    if (fd >= 0) {
      ::close(fd);
    }
    if (temp_exists) {
      ::unlink(temp.c_str());
    }
    error = "cannot write " + path + ": " + (what.empty() ? "" : what + ": ") + std::strerror(saved);
    return false;
  };
  const int fd = createTempFile(target, temp);
  if (fd < 0) {
    return fail(-1, false);
  }
  if (!copyModeAndOwner(fd, target, what) || !writeAll(fd, text) || ::fsync(fd) != 0) {
    return fail(fd, true);
  }
  if (::close(fd) != 0 || ::rename(temp.c_str(), target.c_str()) != 0) {
    return fail(-1, true);
  }
  if (!syncFolder(folder)) {
    // The new file is in place and every reader sees it, so this is no failure to undo; only its
    // durability across a power loss is in doubt.
    log::warn("{}: replaced, but its folder could not be synced: {}", path, std::strerror(errno));
  }
  return true;
}

}  // namespace sluice::config
