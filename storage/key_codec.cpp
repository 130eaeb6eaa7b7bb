#include "storage/key_codec.h"

#include "storage/sha256.h"

namespace sluice::storage {

void StoredKey::assign(std::string_view key) {
  if (key.size() <= kDirectKeyMax) {
    std::memcpy(bytes_.data(), key.data(), key.size());
    size_ = key.size();
    return;
  }
  std::memcpy(bytes_.data(), key.data(), kDirectKeyMax);
  bytes_[kDirectKeyMax] = static_cast<char>(kLongKeyMarker);
  sha256(key, reinterpret_cast<unsigned char*>(bytes_.data() + kDirectKeyMax + 1));
  size_ = kLongKeySize;
}

}  // namespace sluice::storage
