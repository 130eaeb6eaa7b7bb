#include "engine/config/config_error.h"

namespace sluice::config {

std::string ConfigError::str() const {
  if (line <= 0) {
    return file + ": " + message;
  }
  return file + ":" + std::to_string(line) + ": " + message;
}

}  // namespace sluice::config
