#include "storage/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <memory>

namespace sluice::storage {
namespace {

using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

// Fetched once: EVP_sha256() would make every init look the implementation up again.
const EVP_MD* sha256Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

}  // namespace

void sha256(std::string_view data, unsigned char* out) {
  thread_local MdCtxPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned int size = 0;
  if (ctx == nullptr || sha256Md() == nullptr || EVP_DigestInit_ex2(ctx.get(), sha256Md(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out, &size) != 1) {
    // Only on allocation failure inside OpenSSL; a wrong digest would mis-key entries silently.
    std::abort();
  }
}

}  // namespace sluice::storage
