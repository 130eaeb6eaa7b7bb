#include "engine/config/account_names.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace sluice::config {
namespace {

// A group with many members needs a bigger buffer than sysconf suggests: grow on ERANGE, up to 1 MiB.
constexpr size_t kMaxBuffer = 1 << 20;

size_t initialBuffer(int which) {
  const long hint = ::sysconf(which);
  return hint > 0 ? static_cast<size_t>(hint) : 16384;
}

}  // namespace

std::optional<uid_t> lookupUser(const std::string& name) {
  std::vector<char> buffer(initialBuffer(_SC_GETPW_R_SIZE_MAX));
  while (true) {
    passwd entry{};
    passwd* found = nullptr;
    const int rc = ::getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
    if (rc == ERANGE && buffer.size() < kMaxBuffer) {
      buffer.resize(buffer.size() * 2);
      continue;
    }
    if (rc != 0 || found == nullptr) {
      return std::nullopt;
    }
    return found->pw_uid;
  }
}

std::optional<gid_t> lookupGroup(const std::string& name) {
  std::vector<char> buffer(initialBuffer(_SC_GETGR_R_SIZE_MAX));
  while (true) {
    group entry{};
    group* found = nullptr;
    const int rc = ::getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
    if (rc == ERANGE && buffer.size() < kMaxBuffer) {
      buffer.resize(buffer.size() * 2);
      continue;
    }
    if (rc != 0 || found == nullptr) {
      return std::nullopt;
    }
    return found->gr_gid;
  }
}

}  // namespace sluice::config
