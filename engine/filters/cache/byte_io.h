#pragma once
// Little-endian fixed-width fields for the stored records, independent of the host's byte order and
// alignment. ByteReader never reads past its input: a short read fails and poisons the reader.

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::filters::cache {

inline void putLe(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    out += static_cast<char>((v >> (8 * i)) & 0xff);
  }
}

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  uint64_t le(int bytes) {
    if (failed_ || in_.size() < static_cast<size_t>(bytes)) {
      failed_ = true;
      return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) {
      v |= static_cast<uint64_t>(static_cast<unsigned char>(in_[i])) << (8 * i);
    }
    in_.remove_prefix(bytes);
    return v;
  }

  int64_t i64() { return static_cast<int64_t>(le(8)); }

  std::string_view take(uint64_t n) {
    if (failed_ || in_.size() < n) {
      failed_ = true;
      return {};
    }
    const std::string_view out = in_.substr(0, n);
    in_.remove_prefix(n);
    return out;
  }

  bool ok() const { return !failed_; }
  size_t left() const { return in_.size(); }

 private:
  std::string_view in_;
  bool failed_ = false;
};

}  // namespace sluice::filters::cache
