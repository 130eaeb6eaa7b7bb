#pragma once
// A strictness pass over the bytes of a message head before llhttp sees them. llhttp 8.1 accepts
// bare LF line endings and obs-fold continuation lines; both are request-smuggling vectors when a
// proxy and its upstream disagree on them (RFC 9112, 2.2 and 5.2), so Sluice refuses them.

#include <cstddef>

namespace sluice::http {

class HeadScanner {
 public:
  enum class Result { NeedMore, HeadEnd, BareLf, ObsFold };

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
};

}  // namespace sluice::http
