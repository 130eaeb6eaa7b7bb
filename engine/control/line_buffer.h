#pragma once
// Splits a byte stream into '\n'-terminated lines, holding at most one line of `max_line` bytes
// plus what one read adds. The owner appends what it reads and takes lines out one at a time, so it
// can stop in the middle (a client with too many requests outstanding) and carry on later without
// reading more. A line longer than `max_line` is an error: nothing after it can be trusted to start
// a line, so the owner closes the connection. One owner thread.

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice::control {

class LineBuffer {
 public:
  explicit LineBuffer(size_t max_line) : max_line_(max_line) {}

  void append(const char* data, size_t length) { buffer_.append(data, length); }

  enum class Next { Line, NeedMore, TooLong };
  // Line: `line` is the next line without its '\n', valid until the next call of any method.
  // TooLong: the line in front is over max_line (with or without its '\n' yet); the buffer is spent.
  Next next(std::string_view& line);

  size_t buffered() const { return buffer_.size() - start_; }

 private:
  size_t max_line_;
  std::string buffer_;
  size_t start_ = 0;  // where the next line begins
  size_t scan_ = 0;   // bytes from start_ already known to hold no '\n'
};

}  // namespace sluice::control
