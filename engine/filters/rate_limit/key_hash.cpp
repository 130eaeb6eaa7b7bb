#include "engine/filters/rate_limit/key_hash.h"

#include <sys/random.h>

#include <bit>
#include <chrono>
#include <cstring>

namespace sluice::rate_limit {
namespace {

inline void sipRound(uint64_t& v0, uint64_t& v1, uint64_t& v2, uint64_t& v3) {
  v0 += v1;
  v1 = std::rotl(v1, 13);
  v1 ^= v0;
  v0 = std::rotl(v0, 32);
  v2 += v3;
  v3 = std::rotl(v3, 16);
  v3 ^= v2;
  v0 += v3;
  v3 = std::rotl(v3, 21);
  v3 ^= v0;
  v2 += v1;
  v1 = std::rotl(v1, 17);
  v1 ^= v2;
  v2 = std::rotl(v2, 32);
}

}  // namespace

HashKey HashKey::random() {
  HashKey key;
  uint64_t words[2];
  if (getrandom(words, sizeof(words), 0) == static_cast<ssize_t>(sizeof(words))) {
    key.k0 = words[0];
    key.k1 = words[1];
    return key;
  }
  const auto t = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  key.k0 = t * 0x9e3779b97f4a7c15ull;
  key.k1 = (reinterpret_cast<uintptr_t>(&key) ^ t) * 0xbf58476d1ce4e5b9ull;
  return key;
}

KeyHash::KeyHash(const HashKey& key)
    : v0_(0x736f6d6570736575ull ^ key.k0),
      v1_(0x646f72616e646f6dull ^ key.k1),
      v2_(0x6c7967656e657261ull ^ key.k0),
      v3_(0x7465646279746573ull ^ key.k1) {}

void KeyHash::compress(uint64_t m) {
  v3_ ^= m;
  sipRound(v0_, v1_, v2_, v3_);  // SipHash-1-3: one compression round
  v0_ ^= m;
}

KeyHash& KeyHash::add(const void* data, size_t length) {
  const auto* p = static_cast<const unsigned char*>(data);
  total_ += length;
  size_t i = 0;
  if (tail_bytes_ == 0) {
    // Whole little-endian words straight from the input (the byte loop below is the slow path).
    for (; i + 8 <= length; i += 8) {
      uint64_t m;
      std::memcpy(&m, p + i, 8);
      compress(m);
    }
  }
  for (; i < length; ++i) {
    tail_ |= static_cast<uint64_t>(p[i]) << (8 * tail_bytes_);
    if (++tail_bytes_ == 8) {
      compress(tail_);
      tail_ = 0;
      tail_bytes_ = 0;
    }
  }
  return *this;
}

uint64_t KeyHash::finish() const {
  uint64_t v0 = v0_, v1 = v1_, v2 = v2_, v3 = v3_;
  const uint64_t b = (static_cast<uint64_t>(total_ & 0xff) << 56) | tail_;
  v3 ^= b;
  sipRound(v0, v1, v2, v3);
  v0 ^= b;
  v2 ^= 0xff;
  sipRound(v0, v1, v2, v3);  // three finalization rounds
  sipRound(v0, v1, v2, v3);
  sipRound(v0, v1, v2, v3);
  return v0 ^ v1 ^ v2 ^ v3;
}

}  // namespace sluice::rate_limit
