#pragma once
// How keys become LMDB keys. LMDB keys (and MDB_DUPSORT values) are at most 511 bytes; cache keys
// and tags go up to 16 KiB. One of up to kDirectKeyMax bytes is stored as itself; a longer one as
// its first kDirectKeyMax bytes + 0xFF + SHA-256 of the whole key (kLongKeySize bytes), and its
// record keeps the whole key, which get() compares. The two forms cannot collide (a direct key is at
// most 400 bytes, a long one exactly 433), and both sort by the key's first 400 bytes, so a prefix
// scan over stored keys finds every candidate (see purge.h).

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace sluice::storage {

inline constexpr size_t kMaxKeyBytes = 16 * 1024;
inline constexpr size_t kDirectKeyMax = 400;
inline constexpr size_t kDigestBytes = 32;
inline constexpr size_t kLongKeySize = kDirectKeyMax + 1 + kDigestBytes;
inline constexpr unsigned char kLongKeyMarker = 0xFF;

inline bool isValidKey(std::string_view key) {
  return !key.empty() && key.size() <= kMaxKeyBytes;
}
inline bool isLongStoredKey(std::string_view stored) {
  return stored.size() > kDirectKeyMax;
}
inline size_t storedKeySize(size_t key_size) {
  return key_size > kDirectKeyMax ? kLongKeySize : key_size;
}

// A stored key in a stack buffer: building one does not allocate (the reader's hit path).
class StoredKey {
 public:
  StoredKey() = default;
  explicit StoredKey(std::string_view key) { assign(key); }
  void assign(std::string_view key);  // `key` must satisfy isValidKey()

  std::string_view view() const { return std::string_view(bytes_.data(), size_); }
  bool isLong() const { return size_ > kDirectKeyMax; }

 private:
  std::array<char, kLongKeySize> bytes_;
  size_t size_ = 0;
};

inline void putBe64(char* out, uint64_t value) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
}

inline uint64_t getBe64(const char* in) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value = (value << 8) | static_cast<unsigned char>(in[i]);
  }
  return value;
}

// be64(time) + stored key: the access-order and expiry index keys, which sort by time first.
class IndexKey {
 public:
  IndexKey(uint64_t time_ms, std::string_view stored_key) {
    putBe64(bytes_.data(), time_ms);
    std::memcpy(bytes_.data() + 8, stored_key.data(), stored_key.size());
    size_ = 8 + stored_key.size();
  }
  std::string_view view() const { return std::string_view(bytes_.data(), size_); }

  static bool valid(std::string_view index_key) { return index_key.size() > 8; }
  static uint64_t time(std::string_view index_key) { return getBe64(index_key.data()); }
  static std::string_view storedKey(std::string_view index_key) { return index_key.substr(8); }

 private:
  std::array<char, 8 + kLongKeySize> bytes_;
  size_t size_;
};

}  // namespace sluice::storage
