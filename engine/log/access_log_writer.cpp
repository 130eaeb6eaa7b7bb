#include "engine/log/access_log_writer.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include "engine/log/logger.h"

namespace sluice::log {
namespace {

constexpr int kOpenFlags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC;
constexpr mode_t kFileMode = 0640;

uint64_t countLines(std::string_view text) {
  return static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

std::unique_ptr<AccessLogWriter> AccessLogWriter::open(const std::string& target, std::string& error) {
  if (target == "stdout") {
    return std::unique_ptr<AccessLogWriter>(new AccessLogWriter(STDOUT_FILENO, false, "", kMaxPendingBytes));
  }
  const int fd = ::open(target.c_str(), kOpenFlags, kFileMode);
  if (fd < 0) {
    error = "cannot open access log " + target + ": " + std::strerror(errno);
    return nullptr;
  }
  return std::unique_ptr<AccessLogWriter>(new AccessLogWriter(fd, true, target, kMaxPendingBytes));
}

std::unique_ptr<AccessLogWriter> AccessLogWriter::fromFd(int fd, size_t max_pending_bytes) {
  return std::unique_ptr<AccessLogWriter>(new AccessLogWriter(fd, true, "", max_pending_bytes));
}

AccessLogWriter::AccessLogWriter(int fd, bool owned, std::string path, size_t max_pending_bytes)
    : fd_(fd), owned_(owned), path_(std::move(path)), max_pending_bytes_(max_pending_bytes), thread_([this] {
        run();
      }) {}

AccessLogWriter::~AccessLogWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  if (owned_) {
    ::close(fd_);
  }
}

void AccessLogWriter::submit(std::string&& batch) {
  if (batch.empty()) {
    return;
  }
  bool accepted = false;
  {
    std::lock_guard lock(mutex_);
    if (pending_bytes_ + batch.size() <= max_pending_bytes_) {
      pending_bytes_ += batch.size();
      queue_.push_back(std::move(batch));
      accepted = true;
    }
  }
  if (accepted) {
    wake_.notify_one();
  } else {
    drop(batch);
  }
}

void AccessLogWriter::reopen() {
  if (path_.empty()) {
    return;
  }
  {
    std::lock_guard lock(mutex_);
    reopen_requested_ = true;
  }
  wake_.notify_one();
}

void AccessLogWriter::run() {
  std::vector<std::string> batches;
  for (;;) {
    bool reopen = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || reopen_requested_ || !queue_.empty(); });
      reopen = std::exchange(reopen_requested_, false);
      batches.swap(queue_);
      if (batches.empty() && !reopen && stopping_) {
        return;
      }
    }
    if (reopen) {
      reopenNow();
    }
    size_t bytes = 0;
    for (const auto& b : batches) {
      bytes += b.size();
    }
    writeBatches(batches);
    batches.clear();  // keeps the capacity for the next swap
    std::lock_guard lock(mutex_);
    pending_bytes_ -= bytes;
  }
}

void AccessLogWriter::reopenNow() {
  const int fd = ::open(path_.c_str(), kOpenFlags, kFileMode);
  if (fd < 0) {
    log::warn("access log: cannot reopen {}: {} (still writing to the old file)", path_,
              std::strerror(errno));
    return;
  }
  ::close(fd_);
  fd_ = fd;
  error_reported_ = false;
}

void AccessLogWriter::writeBatches(const std::vector<std::string>& batches) {
  constexpr size_t kChunk = 64;  // batches per writev (well under IOV_MAX)
  for (size_t first = 0; first < batches.size(); first += kChunk) {
    const size_t count = std::min(kChunk, batches.size() - first);
    if (!writeFully(batches, first, count)) {
      for (size_t i = first + count; i < batches.size(); ++i) {
        drop(batches[i]);
      }
      return;
    }
  }
}

bool AccessLogWriter::writeFully(const std::vector<std::string>& batches, size_t first, size_t count) {
  std::array<iovec, 64> iov;
  for (size_t i = 0; i < count; ++i) {
    iov[i] = {const_cast<char*>(batches[first + i].data()), batches[first + i].size()};
  }
  size_t next = 0;
  while (next < count) {
    const ssize_t n = ::writev(fd_, &iov[next], static_cast<int>(count - next));
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) {  // stdout may be a non-blocking pipe
        pollfd pfd{fd_, POLLOUT, 0};
        ::poll(&pfd, 1, -1);
        continue;
      }
      if (!error_reported_) {
        log::warn("access log: write failed: {}; dropping lines until it recovers", std::strerror(errno));
        error_reported_ = true;
      }
      for (size_t i = next; i < count; ++i) {
        drop(std::string_view(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len));
      }
      return false;
    }
    written_bytes_.fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
    auto done = static_cast<size_t>(n);
    while (next < count && done >= iov[next].iov_len) {
      done -= iov[next].iov_len;
      ++next;
    }
    if (next < count) {
      iov[next].iov_base = static_cast<char*>(iov[next].iov_base) + done;
      iov[next].iov_len -= done;
    }
  }
  error_reported_ = false;
  return true;
}

void AccessLogWriter::drop(std::string_view batch) {
  dropped_lines_.fetch_add(countLines(batch), std::memory_order_relaxed);
  dropped_bytes_.fetch_add(batch.size(), std::memory_order_relaxed);
}

}  // namespace sluice::log
