#include "engine/tls/cipher_check.h"

#include <openssl/err.h>

#include "engine/tls/openssl_ptr.h"

namespace sluice::tls {

bool validCipherList(const std::string& ciphers) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  const bool ok = ctx && SSL_CTX_set_cipher_list(ctx.get(), ciphers.c_str()) == 1;
  ERR_clear_error();
  return ok;
}

bool validCipherSuites(const std::string& suites) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  const bool ok = ctx && SSL_CTX_set_ciphersuites(ctx.get(), suites.c_str()) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace sluice::tls
