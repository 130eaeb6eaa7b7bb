#pragma once
// Self-signed certificates made at test time (no key is ever committed): an RSA or ECDSA key and a
// certificate with the given subject CN and DNS subjectAltNames, written as PEM files.

#include <string>
#include <vector>

namespace sluice::test {

enum class KeyType { Rsa, Ecdsa };

struct TestCertificate {
  std::string cert_path;
  std::string key_path;
};

// Writes DIR/STEM.crt and DIR/STEM.key; an empty `sans` makes a certificate without the SAN
// extension. Fails the calling QtTest (QFAIL-style, via qFatal) if OpenSSL or the file system fails.
TestCertificate writeSelfSigned(const std::string& dir, const std::string& stem,
                                const std::string& common_name, const std::vector<std::string>& sans,
                                KeyType type = KeyType::Ecdsa);

// Writes TEXT to PATH (for corrupt or foreign PEM files in error tests).
void writeTextFile(const std::string& path, const std::string& text);

}  // namespace sluice::test
