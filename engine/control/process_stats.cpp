#include "engine/control/process_stats.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string_view>

namespace sluice::control {
namespace {

// Reads a small /proc file into `buf` (NUL-terminated); returns its length, or 0 on error.
size_t readSmallFile(const char* path, char* buf, size_t size) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return 0;
  }
  size_t len = 0;
  while (len + 1 < size) {
    const ssize_t n = ::read(fd, buf + len, size - 1 - len);
    if (n <= 0) {
      break;
    }
    len += static_cast<size_t>(n);
  }
  ::close(fd);
  buf[len] = '\0';
  return len;
}

}  // namespace

ProcessStats readProcessStats() {
  ProcessStats out;
  char buf[1024];
  if (readSmallFile("/proc/self/stat", buf, sizeof buf) > 0) {
    // The command name (field 2) may hold spaces and parentheses: fields are counted after the
    // last ')'. That leaves field 3 (state) first; utime and stime are fields 14 and 15.
    const char* p = std::strrchr(buf, ')');
    if (p != nullptr) {
      ++p;
      for (int field = 3; field < 14 && p != nullptr; ++field) {
        p = std::strchr(p + 1, ' ');
      }
      if (p != nullptr) {
        char* end = nullptr;
        const unsigned long long utime = std::strtoull(p, &end, 10);
        const unsigned long long stime = std::strtoull(end, nullptr, 10);
        const long ticks = ::sysconf(_SC_CLK_TCK);
        if (ticks > 0) {
          out.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(ticks);
        }
      }
    }
  }
  if (readSmallFile("/proc/self/statm", buf, sizeof buf) > 0) {
    char* end = nullptr;
    std::strtoull(buf, &end, 10);  // total program size
    const unsigned long long resident = std::strtoull(end, nullptr, 10);
    const long page = ::sysconf(_SC_PAGESIZE);
    out.rss_bytes = static_cast<uint64_t>(resident) * static_cast<uint64_t>(page > 0 ? page : 4096);
  }
  return out;
}

}  // namespace sluice::control
