#include "engine/filters/cache/cache_status.h"

#include <charconv>
#include <cstring>

namespace sluice::filters::cache {

namespace {

// The fixed text around the variable parts: "; fwd=" + the longest forward + "; fwd-status=" + an int +
// "; stored; collapsed; ttl=" + 20 characters + "; detail=".
constexpr size_t kFixedMax = 6 + 9 + 13 + 11 + 8 + 11 + 6 + 20 + 9;

class Writer {
 public:
  Writer(char* out, size_t capacity) : out_(out), capacity_(capacity) {}

  void text(std::string_view s) {
    if (ok_ && s.size() <= capacity_ - size_) {
      std::memcpy(out_ + size_, s.data(), s.size());
      size_ += s.size();
    } else {
      ok_ = false;
    }
  }

  void number(int64_t v) {
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof(digits), v);
    text(std::string_view(digits, static_cast<size_t>(result.ptr - digits)));
  }

  size_t size() const { return ok_ ? size_ : 0; }

 private:
  char* out_;
  size_t capacity_;
  size_t size_ = 0;
  bool ok_ = true;
};

}  // namespace

std::string_view forwardText(Forward fwd) {
  switch (fwd) {
    case Forward::None:
      return "";
    case Forward::Bypass:
      return "bypass";
    case Forward::Method:
      return "method";
    case Forward::UriMiss:
      return "uri-miss";
    case Forward::VaryMiss:
      return "vary-miss";
    case Forward::Miss:
      return "miss";
    case Forward::Request:
      return "request";
    case Forward::Stale:
      return "stale";
  }
  return "";
}

size_t cacheStatusMaxSize(const CacheStatus& status, std::string_view cache_name) {
  return cache_name.size() + kFixedMax + status.detail.size();
}

size_t formatCacheStatus(const CacheStatus& status, char* out, size_t capacity, std::string_view cache_name) {
  Writer w(out, capacity);
  w.text(cache_name);
  if (status.fwd == Forward::None) {
    w.text("; hit");
  } else {
    w.text("; fwd=");
    w.text(forwardText(status.fwd));
    if (status.fwd_status != 0) {
      w.text("; fwd-status=");
      w.number(status.fwd_status);
    }
  }
  if (status.stored) {
    w.text("; stored");
  }
  if (status.collapsed) {
    w.text("; collapsed");
  }
  if (status.has_ttl) {
    w.text("; ttl=");
    w.number(status.ttl);
  }
  if (!status.detail.empty()) {
    w.text("; detail=");
    w.text(status.detail);
  }
  return w.size();
}

std::string formatCacheStatus(const CacheStatus& status, std::string_view cache_name) {
  std::string out(cacheStatusMaxSize(status, cache_name), '\0');
  out.resize(formatCacheStatus(status, out.data(), out.size(), cache_name));
  return out;
}

}  // namespace sluice::filters::cache
