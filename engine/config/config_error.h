#pragma once
// One configuration problem, reported as `file:line: message` (line 0: `file: message`).

#include <string>

namespace sluice::config {

struct ConfigError {
  std::string file;
  int line = 0;  // 1-based; 0 = the whole file (e.g. it cannot be read)
  std::string message;

  std::string str() const;
};

}  // namespace sluice::config
