#pragma once
// SipHash-1-3 with a per-process random key: rate-limit keys come from clients (addresses, header
// values), so an unkeyed hash would let a client aim many keys at one table shard and probe chain
// (hash flooding). Fed incrementally so a key is hashed from its parts without building a string.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sluice::rate_limit {

struct HashKey {
  uint64_t k0 = 0;
  uint64_t k1 = 0;

  // 128 random bits from getrandom(); a time-and-address mix if that fails.
  static HashKey random();
};

class KeyHash {
 public:
  explicit KeyHash(const HashKey& key);

  KeyHash& add(const void* data, size_t length);
  KeyHash& add(std::string_view text) { return add(text.data(), text.size()); }
  KeyHash& add(uint64_t value) { return add(&value, sizeof(value)); }
  uint64_t finish() const;

 private:
  void compress(uint64_t m);

  uint64_t v0_, v1_, v2_, v3_;
  uint64_t tail_ = 0;     // bytes not yet compressed, little-endian
  size_t tail_bytes_ = 0;
  size_t total_ = 0;
};

}  // namespace sluice::rate_limit
