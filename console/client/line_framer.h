#pragma once
// NDJSON framing for the reading side of the control socket: bytes in, whole lines out, with a
// bounded buffer. A line longer than the limit is not kept: its bytes are dropped up to the next
// newline and the caller is told once per such line. Resynchronising at the next '\n' is safe because
// JSON text never holds a raw newline. Plain value class, no Qt event loop needed.

#include <QByteArray>
#include <QByteArrayView>
#include <functional>

namespace sluice::console {

class LineFramer {
 public:
  using LineHandler = std::function<void(const QByteArray& line)>;
  using OverlongHandler = std::function<void(qsizetype bytes_seen)>;

  explicit LineFramer(qsizetype max_line) : max_line_(max_line) {}

  // Appends `data`; calls `on_line` for every complete line (without its '\n', a trailing '\r' kept)
  // in order, and `on_overlong` when a line passes max_line. The buffer never holds more than
  // max_line bytes between calls.
  void feed(QByteArrayView data, const LineHandler& on_line, const OverlongHandler& on_overlong);
  void clear();

  qsizetype buffered() const { return buffer_.size(); }
  qsizetype maxLine() const { return max_line_; }

 private:
  qsizetype max_line_;
  QByteArray buffer_;
  bool discarding_ = false;  // inside an overlong line: drop until its newline
  qsizetype discarded_ = 0;
};

}  // namespace sluice::console
