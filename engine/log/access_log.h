#pragma once
// Per-worker access-log buffer: formats each finished request as one JSON line into a local string
// and hands full batches (over 64 KiB) to the AccessLogWriter, so a loop never writes to the log
// itself. Not thread-safe: one per worker thread. The writer must outlive it.

#include <cstddef>
#include <string>

#include "engine/log/access_log_format.h"
#include "engine/log/access_log_writer.h"

namespace sluice::log {

class AccessLogBuffer {
 public:
  static constexpr size_t kBatchBytes = 64 * 1024;

  explicit AccessLogBuffer(AccessLogWriter& writer);
  ~AccessLogBuffer();  // flushes
  AccessLogBuffer(const AccessLogBuffer&) = delete;
  AccessLogBuffer& operator=(const AccessLogBuffer&) = delete;

  void append(const AccessRecord& record);
  // Hands whatever is buffered to the writer (the worker calls this from a 100 ms timer).
  void flush();

  size_t bufferedBytes() const { return buffer_.size(); }

 private:
  AccessLogWriter& writer_;
  AccessLogFormatter formatter_;
  std::string buffer_;
};

}  // namespace sluice::log
