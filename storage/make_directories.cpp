#include "storage/make_directories.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace sluice::storage {

bool makeDirectories(const std::string& path, mode_t mode, std::string& error) {
  for (size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
    const std::string partial = path.substr(0, end);
    if (!partial.empty() && ::mkdir(partial.c_str(), mode) != 0 && errno != EEXIST) {
      error = "cannot create " + partial + ": " + std::strerror(errno);
      return false;
    }
    if (end == std::string::npos) {
      break;
    }
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    error = path + " is not a directory";
    return false;
  }
  return true;
}

}  // namespace sluice::storage
