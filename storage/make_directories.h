#pragma once
// mkdir -p with a mode for each directory it creates (the cache directory is private: 0700).

#include <sys/types.h>

#include <string>

namespace sluice::storage {

bool makeDirectories(const std::string& path, mode_t mode, std::string& error);

}  // namespace sluice::storage
