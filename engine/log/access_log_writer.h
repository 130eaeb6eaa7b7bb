#pragma once
// The access-log output: one file (append mode) or stdout, written by one thread of its own from
// batches that the workers' AccessLogBuffers submit. submit() never blocks on I/O: at most
// max_pending bytes (8 MiB) are held (queued or being written); beyond that a batch is dropped and
// counted. The destructor writes out what is queued, then joins (a blocked output blocks it).
// Write errors drop the batch (counted) and are reported once in the process log.

#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace sluice::log {

class AccessLogWriter {
 public:
  static constexpr size_t kMaxPendingBytes = 8 * 1024 * 1024;

  // `target` is "stdout" or a file path (created with mode 0640, O_APPEND). Returns null and sets
  // `error` when the file cannot be opened. ("off" is the caller's business.)
  static std::unique_ptr<AccessLogWriter> open(const std::string& target, std::string& error);
  // Writes to `fd`, which it takes over and closes (for tests, e.g. a pipe).
  static std::unique_ptr<AccessLogWriter> fromFd(int fd, size_t max_pending_bytes = kMaxPendingBytes);

  ~AccessLogWriter();
  AccessLogWriter(const AccessLogWriter&) = delete;
  AccessLogWriter& operator=(const AccessLogWriter&) = delete;

  // Any thread. `batch` is whole lines.
  void submit(std::string&& batch);
  // Any thread: reopens the file by path before the next write (log rotation). No-op for stdout/fd.
  void reopen();

  uint64_t dropped_lines() const { return dropped_lines_.load(std::memory_order_relaxed); }
  uint64_t dropped_bytes() const { return dropped_bytes_.load(std::memory_order_relaxed); }
  uint64_t written_bytes() const { return written_bytes_.load(std::memory_order_relaxed); }

 private:
  AccessLogWriter(int fd, bool owned, std::string path, size_t max_pending_bytes);

  void run();
  void reopenNow();
  // Writes the batches; on an output error the unwritten rest is counted as dropped.
  void writeBatches(const std::vector<std::string>& batches);
  bool writeFully(const std::vector<std::string>& batches, size_t first, size_t count);
  void drop(std::string_view batch);

  // Writer thread only (after construction).
  int fd_;
  const bool owned_;
  const std::string path_;  // empty for stdout / fd
  bool error_reported_ = false;

  const size_t max_pending_bytes_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::string> queue_;  // guarded by mutex_
  size_t pending_bytes_ = 0;        // guarded: queued plus being written
  bool stopping_ = false;           // guarded
  bool reopen_requested_ = false;   // guarded

  std::atomic<uint64_t> dropped_lines_{0};
  std::atomic<uint64_t> dropped_bytes_{0};
  std::atomic<uint64_t> written_bytes_{0};

  std::thread thread_;  // last: starts after everything above is initialised
};

}  // namespace sluice::log
