#include "engine/log/access_log.h"

#include <utility>

namespace sluice::log {

AccessLogBuffer::AccessLogBuffer(AccessLogWriter& writer) : writer_(writer) {
  buffer_.reserve(kBatchBytes + 1024);
}

AccessLogBuffer::~AccessLogBuffer() {
  flush();
}

void AccessLogBuffer::append(const AccessRecord& record) {
  formatter_.format(record, buffer_);
  if (buffer_.size() > kBatchBytes) {
    flush();
  }
}

void AccessLogBuffer::flush() {
  if (buffer_.empty()) {
    return;
  }
  if (buffer_.size() < kBatchBytes / 4) {
    // A timer flush of a few lines: hand over a right-sized copy and keep the big buffer, so queued
    // batches hold about the memory the writer's bound accounts for.
    writer_.submit(std::string(buffer_));
    buffer_.clear();
    return;
  }
  writer_.submit(std::move(buffer_));
  buffer_ = std::string();
  buffer_.reserve(kBatchBytes + 1024);
}

}  // namespace sluice::log
