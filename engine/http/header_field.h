#pragma once
// A header as views into the connection's head buffer: valid until that buffer is reused for the
// next message. Names compare case-insensitively (RFC 9110, 5.1).

#include <string_view>
#include <vector>

namespace sluice::http {

struct HeaderField {
  std::string_view name;
  std::string_view value;
};

using HeaderList = std::vector<HeaderField>;

inline char asciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

inline bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (asciiLower(a[i]) != asciiLower(b[i])) {
      return false;
    }
  }
  return true;
}

inline std::string_view trimOws(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) {
    v.remove_prefix(1);
  }
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) {
    v.remove_suffix(1);
  }
  return v;
}

// The first header with this name, or nullptr.
inline const HeaderField* findHeader(const HeaderList& headers, std::string_view name) {
  for (const HeaderField& h : headers) {
    if (equalsIgnoreCase(h.name, name)) {
      return &h;
    }
  }
  return nullptr;
}

// True when a comma-separated header value lists `token` (case-insensitive), e.g. Connection: close.
bool listContainsToken(std::string_view value, std::string_view token);

}  // namespace sluice::http
