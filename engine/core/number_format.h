#pragma once
// Integer to text without printf, for the hot path (status lines, Content-Length, chunk sizes).

#include <cstddef>
#include <cstdint>
#include <string>

namespace sluice::core {

// Writes `value` in decimal at `out` (at least 20 bytes); returns the length.
inline size_t formatDecimal(uint64_t value, char* out) {
  char tmp[20];
  size_t n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (size_t i = 0; i < n; ++i) {
    out[i] = tmp[n - 1 - i];
  }
  return n;
}

// Writes `value` in lower-case hex at `out` (at least 16 bytes); returns the length.
inline size_t formatHex(uint64_t value, char* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  char tmp[16];
  size_t n = 0;
  do {
    tmp[n++] = kDigits[value & 0xf];
    value >>= 4;
  } while (value != 0);
  for (size_t i = 0; i < n; ++i) {
    out[i] = tmp[n - 1 - i];
  }
  return n;
}

inline void appendDecimal(std::string& out, uint64_t value) {
  char buf[20];
  out.append(buf, formatDecimal(value, buf));
}

}  // namespace sluice::core
