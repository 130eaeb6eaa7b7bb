#pragma once
// Collects the pieces of a message head that llhttp hands over in spans (a token may be split
// across reads) into one buffer, and turns them into views once the head is complete.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/http/header_field.h"

namespace sluice::http {

class HeadBuffer {
 public:
  HeadBuffer() { buffer_.reserve(4096); }

  void reset();
  void appendStartToken(const char* at, size_t length);   // URL or status reason
  void appendField(const char* at, size_t length);
  void appendValue(const char* at, size_t length);
  void finishField() { field_open_ = false; }
  void finishValue() { in_value_ = false; }

  size_t headerCount() const { return offsets_.size(); }
  size_t startTokenLength() const { return start_length_; }
  // Bytes of head seen so far, counting 4 bytes of framing (": ", CRLF) per header.
  size_t size() const { return buffer_.size() + offsets_.size() * 4; }

  std::string_view startToken() const { return {buffer_.data(), start_length_}; }
  void fillHeaders(HeaderList& out) const;

 private:
  struct Offsets {
    uint32_t name_begin, name_length, value_begin, value_length;
  };
  std::string buffer_;
  std::vector<Offsets> offsets_;
  size_t start_length_ = 0;
  bool in_value_ = false;
  bool field_open_ = false;
};

}  // namespace sluice::http
