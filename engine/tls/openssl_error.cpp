#include "engine/tls/openssl_error.h"

#include <openssl/err.h>

namespace sluice::tls {

std::string opensslError(const std::string& what) {
  char text[256] = "unknown error";
  if (unsigned long code = ERR_peek_error(); code != 0) {
    ERR_error_string_n(code, text, sizeof text);
  }
  ERR_clear_error();
  return what + ": " + text;
}

}  // namespace sluice::tls
