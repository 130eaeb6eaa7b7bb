#include "engine/core/http_date.h"

#include <ctime>

namespace sluice::core {

std::string_view httpDateNow() {
  thread_local std::time_t cached_second = 0;
  thread_local char buffer[40];
  thread_local size_t length = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    length = std::strftime(buffer, sizeof(buffer), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_second = now;
  }
  return {buffer, length};
}

}  // namespace sluice::core
