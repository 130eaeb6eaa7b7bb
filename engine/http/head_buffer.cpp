#include "engine/http/head_buffer.h"

namespace sluice::http {

void HeadBuffer::reset() {
  buffer_.clear();
  offsets_.clear();
  start_length_ = 0;
  in_value_ = false;
  field_open_ = false;
}

void HeadBuffer::appendStartToken(const char* at, size_t length) {
  buffer_.append(at, length);
  start_length_ += length;
}

void HeadBuffer::appendField(const char* at, size_t length) {
  if (!field_open_) {
    offsets_.push_back({static_cast<uint32_t>(buffer_.size()), 0, 0, 0});
    field_open_ = true;
    in_value_ = false;
  }
  buffer_.append(at, length);
  offsets_.back().name_length += static_cast<uint32_t>(length);
}

void HeadBuffer::appendValue(const char* at, size_t length) {
  if (offsets_.empty()) {
    return;
  }
  Offsets& o = offsets_.back();
  if (!in_value_) {
    o.value_begin = static_cast<uint32_t>(buffer_.size());
    in_value_ = true;
  }
  buffer_.append(at, length);
  o.value_length += static_cast<uint32_t>(length);
}

void HeadBuffer::fillHeaders(HeaderList& out) const {
  out.clear();
  out.reserve(offsets_.size());
  for (const Offsets& o : offsets_) {
    std::string_view value = o.value_length == 0 ? std::string_view()
                                                 : std::string_view(buffer_.data() + o.value_begin, o.value_length);
    out.push_back({std::string_view(buffer_.data() + o.name_begin, o.name_length), trimOws(value)});
  }
}

}  // namespace sluice::http
