#pragma once
// SHA-256 through OpenSSL's EVP interface, with one digest context per thread (long keys only).

#include <string_view>

namespace sluice::storage {

// Writes the 32-byte digest of `data` to `out`.
void sha256(std::string_view data, unsigned char* out);

}  // namespace sluice::storage
