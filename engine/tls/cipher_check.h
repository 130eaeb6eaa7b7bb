#pragma once
// Validates `ciphers` / `ciphersuites` strings when the config loads, so a typo is a file:line error
// instead of a failure at the first handshake. Thread-safe; no state.

#include <string>

namespace sluice::tls {

// The OpenSSL TLS 1.2 cipher list string accepted by SSL_CTX_set_cipher_list (and selecting at
// least one cipher).
bool validCipherList(const std::string& ciphers);
// The TLS 1.3 suites string accepted by SSL_CTX_set_ciphersuites (colon-separated suite names).
bool validCipherSuites(const std::string& suites);

}  // namespace sluice::tls
