#include "engine/http/head_scanner.h"

namespace sluice::http {

HeadScanner::Result HeadScanner::scan(const char* data, size_t length, size_t& end) {
  if (!active_) {
    end = 0;
    return Result::HeadEnd;
  }
  for (size_t i = 0; i < length; ++i) {
    const char c = data[i];
    if (c == '\n') {
      if (!prev_cr_) {
        return Result::BareLf;
      }
      prev_cr_ = false;
      if (line_length_ == 0 && seen_content_) {
        active_ = false;
        end = i + 1;
        return Result::HeadEnd;
      }
      if (line_length_ > 0) {
        ++lines_;
      }
      at_line_start_ = true;
      in_name_ = lines_ > 0;
      line_length_ = 0;
      prev_ = c;
      continue;
    }
    if (prev_cr_) {
      return Result::BareCr;  // a CR not followed by LF
    }
    if (at_line_start_ && seen_content_ && (c == ' ' || c == '\t')) {
      return Result::ObsFold;
    }
    if (in_name_ && c == ':') {
      if (prev_ == ' ' || prev_ == '\t') {
        return Result::SpaceBeforeColon;
      }
      in_name_ = false;
    }
    at_line_start_ = false;
    prev_cr_ = (c == '\r');
    if (c != '\r') {
      ++line_length_;
      seen_content_ = true;
    }
    prev_ = c;
  }
  end = length;
  return Result::NeedMore;
}

}  // namespace sluice::http
