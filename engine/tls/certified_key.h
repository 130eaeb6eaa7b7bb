#pragma once
// One server certificate with its chain and private key, loaded from PEM files and checked to belong
// together. Loaded on the thread that loads the config (never on a worker loop: it reads files);
// immutable afterwards and shared read-only by every SSL_CTX built from it.

#include <memory>
#include <string>
#include <vector>

#include "engine/tls/openssl_ptr.h"

namespace sluice::tls {

struct CertifiedKey {
  X509Ptr certificate;         // the leaf: the first certificate in the file
  std::vector<X509Ptr> chain;  // the intermediates that follow it, in file order
  EvpPkeyPtr key;
  // The host names it serves, lower-case, as SNI will look them up: the SAN's DNS entries (exact
  // "a.example.com" or wildcard "*.example.com"), or the subject's CN when there is no SAN.
  std::vector<std::string> names;
  std::string cert_path;
  std::string key_path;
};

using CertifiedKeyPtr = std::shared_ptr<const CertifiedKey>;

// Reads `cert_path` (PEM: leaf, then any chain) and `key_path` (an unencrypted PEM private key)
// and checks that the key matches the certificate. On failure returns null and sets `error` to a
// message naming the file(s) at fault. Leaves this thread's OpenSSL error queue empty.
CertifiedKeyPtr loadCertifiedKey(const std::string& cert_path, const std::string& key_path,
                                 std::string& error);

// Checks that `path` is a readable PEM file holding at least one certificate (a CA bundle for
// client verification). Sets `error` and returns false otherwise.
bool checkCaFile(const std::string& path, std::string& error);

}  // namespace sluice::tls
