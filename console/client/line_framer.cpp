#include "console/client/line_framer.h"

namespace sluice::console {

void LineFramer::feed(QByteArrayView data, const LineHandler& on_line, const OverlongHandler& on_overlong) {
  while (!data.isEmpty()) {
    const qsizetype newline = data.indexOf('\n');
    if (discarding_) {
      if (newline < 0) {
        discarded_ += data.size();
        return;
      }
      discarding_ = false;
      data = data.sliced(newline + 1);
      continue;
    }
    const qsizetype take = newline < 0 ? data.size() : newline;
    if (buffer_.size() + take > max_line_) {
      on_overlong(buffer_.size() + take);
      buffer_.clear();
      discarded_ = 0;
      if (newline < 0) {
        discarding_ = true;
        return;
      }
      data = data.sliced(newline + 1);
      continue;
    }
    buffer_.append(data.first(take));
    if (newline < 0) {
      return;
    }
    data = data.sliced(newline + 1);
    // Hand the line over before touching the buffer again: the handler may re-enter clear().
    QByteArray line;
    line.swap(buffer_);
    on_line(line);
  }
}

void LineFramer::clear() {
  buffer_.clear();
  discarding_ = false;
  discarded_ = 0;
}

}  // namespace sluice::console
