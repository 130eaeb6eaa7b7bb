#include "engine/control/line_buffer.h"

#include <cstring>

namespace sluice::control {

LineBuffer::Next LineBuffer::next(std::string_view& line) {
  const size_t available = buffer_.size() - start_;
  const char* begin = buffer_.data() + start_;
  // Only the bytes not looked at yet are scanned: a long line arriving in small reads costs O(n).
  const void* newline = available > scan_ ? std::memchr(begin + scan_, '\n', available - scan_) : nullptr;
  if (newline == nullptr) {
    scan_ = available;
    if (available > max_line_) {
      buffer_.clear();
      start_ = scan_ = 0;
      return Next::TooLong;
    }
    // Drop the consumed lines only now, once per read rather than once per line.
    buffer_.erase(0, start_);
    start_ = 0;
    return Next::NeedMore;
  }
  const size_t length = static_cast<size_t>(static_cast<const char*>(newline) - begin);
  if (length > max_line_) {
    buffer_.clear();
    start_ = scan_ = 0;
    return Next::TooLong;
  }
  line = std::string_view(begin, length);
  start_ += length + 1;
  scan_ = 0;
  return Next::Line;
}

}  // namespace sluice::control
