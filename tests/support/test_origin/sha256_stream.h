#pragma once
// Incremental SHA-256 over OpenSSL's EVP interface, so a body of any size hashes in constant memory.

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

namespace sluice::test_origin {

class Sha256Stream {
 public:
  Sha256Stream();
  void reset();
  void update(std::string_view data);
  std::string finishHex();  // lowercase hex; call reset() before reusing

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

}  // namespace sluice::test_origin
