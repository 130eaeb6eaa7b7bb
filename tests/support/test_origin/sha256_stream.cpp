#include "tests/support/test_origin/sha256_stream.h"

#include <cstdio>

namespace sluice::test_origin {

Sha256Stream::Sha256Stream() : ctx_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
  reset();
}

void Sha256Stream::reset() {
  EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr);
}

void Sha256Stream::update(std::string_view data) {
  EVP_DigestUpdate(ctx_.get(), data.data(), data.size());
}

std::string Sha256Stream::finishHex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx_.get(), digest, &length);
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    char pair[3];
    std::snprintf(pair, sizeof(pair), "%02x", digest[i]);
    hex += pair;
  }
  return hex;
}

}  // namespace sluice::test_origin
