#pragma once
// Formats access-log records as JSON lines, by hand (this runs once per request on a worker loop).
// Not thread-safe: one per worker (AccessLogBuffer owns one). Caches the formatted second.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::log {

// One request; the views are valid only during the call that receives the record.
struct AccessRecord {
  std::chrono::system_clock::time_point time;
  std::string_view request_id, client, method, path, route, upstream;
  int status = 0;
  uint64_t bytes_in = 0, bytes_out = 0;
  uint64_t duration_us = 0;
};

// Appends `text` as a quoted JSON string: '"' and '\' escaped, control characters and DEL as
// \u00XX, valid UTF-8 copied through, each byte of invalid UTF-8 replaced by \ufffd.
void appendJsonString(std::string& out, std::string_view text);

class AccessLogFormatter {
 public:
  // Appends one line:
  // {"time":"2026-01-02T03:04:05.678Z","request_id":"..","client":"..","method":"..","path":"..",
  //  "route":"..","upstream":"..","status":200,"bytes_in":0,"bytes_out":0,"duration_ms":1.234}\n
  void format(const AccessRecord& record, std::string& out);

 private:
  void appendTime(std::chrono::system_clock::time_point time, std::string& out);

  int64_t cached_second_ = INT64_MIN;
  char cached_prefix_[32] = {};  // "YYYY-MM-DDTHH:MM:SS" of cached_second_
  size_t cached_prefix_len_ = 0;
};

}  // namespace sluice::log
