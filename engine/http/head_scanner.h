#pragma once
// A strictness pass over the bytes of a message head before llhttp sees them. llhttp 8.1 accepts
// bare LF line endings, a bare CR, whitespace between a field name and its colon, and obs-fold
// continuation lines; each is a request-smuggling vector when a proxy and its upstream disagree on
// it (RFC 9112, 2.2, 5.1 and 5.2), so Sluice refuses them.

#include <cstddef>

namespace sluice::http {

class HeadScanner {
 public:
  enum class Result { NeedMore, HeadEnd, BareLf, BareCr, ObsFold, SpaceBeforeColon };

  void reset() { *this = HeadScanner(); }
  bool active() const { return active_; }
  // Scans until the end of the head (the empty line); `end` gets the offset just past it.
  Result scan(const char* data, size_t length, size_t& end);

 private:
  bool active_ = true;
  bool prev_cr_ = false;
  bool at_line_start_ = true;
  bool seen_content_ = false;  // leading empty lines before the start line are skipped
  size_t line_length_ = 0;
  size_t lines_ = 0;         // complete non-empty lines so far (the start line is the first)
  bool in_name_ = false;     // inside a header field name (before its colon)
  char prev_ = 0;
};

}  // namespace sluice::http
