#include "engine/tls/certified_key.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>

#include "engine/tls/pem_file.h"

namespace sluice::tls {
namespace {

// Refuses to prompt for a passphrase (OpenSSL's default would read the terminal of a service).
int noPassphrase(char*, int, int, void*) {
  return -1;
}

std::string lowerCase(const unsigned char* data, int length) {
  std::string out(reinterpret_cast<const char*>(data), static_cast<size_t>(std::max(length, 0)));
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::vector<std::string> hostNames(X509* certificate) {
  std::vector<std::string> names;
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  if (sans != nullptr) {
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
      if (name->type == GEN_DNS) {
        const ASN1_STRING* dns = name->d.dNSName;
        names.push_back(lowerCase(ASN1_STRING_get0_data(dns), ASN1_STRING_length(dns)));
      }
    }
    GENERAL_NAMES_free(sans);
  }
  if (names.empty()) {
    X509_NAME* subject = X509_get_subject_name(certificate);
    const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (index >= 0) {
      const ASN1_STRING* cn = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
      names.push_back(lowerCase(ASN1_STRING_get0_data(cn), ASN1_STRING_length(cn)));
    }
  }
  return names;
}

CertifiedKeyPtr load(const std::string& cert_path, const std::string& key_path, std::string& error) {
  auto loaded = std::make_shared<CertifiedKey>();
  loaded->cert_path = cert_path;
  loaded->key_path = key_path;

  BioPtr cert_bio = detail::readPemFile(cert_path, "certificate file", error);
  if (!cert_bio) {
    return nullptr;
  }
  loaded->certificate.reset(PEM_read_bio_X509(cert_bio.get(), nullptr, noPassphrase, nullptr));
  if (!loaded->certificate) {
    error = "certificate file '" + cert_path + "' holds no PEM certificate";
    return nullptr;
  }
  while (X509* next = PEM_read_bio_X509(cert_bio.get(), nullptr, noPassphrase, nullptr)) {
    loaded->chain.emplace_back(next);
  }

  BioPtr key_bio = detail::readPemFile(key_path, "key file", error);
  if (!key_bio) {
    return nullptr;
  }
  loaded->key.reset(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, noPassphrase, nullptr));
  if (!loaded->key) {
    error = "key file '" + key_path + "' holds no PEM private key (encrypted keys are not supported)";
    return nullptr;
  }
  if (X509_check_private_key(loaded->certificate.get(), loaded->key.get()) != 1) {
    error = "key file '" + key_path + "' does not match certificate file '" + cert_path + "'";
    return nullptr;
  }
  loaded->names = hostNames(loaded->certificate.get());
  if (loaded->names.empty()) {
    error = "certificate file '" + cert_path + "' names no host (no DNS subjectAltName and no CN)";
    return nullptr;
  }
  return loaded;
}

}  // namespace

CertifiedKeyPtr loadCertifiedKey(const std::string& cert_path, const std::string& key_path,
                                 std::string& error) {
  CertifiedKeyPtr loaded = load(cert_path, key_path, error);
  // The end of the chain loop and failures leave entries behind; a later SSL_get_error on this
  // thread must not see them.
  ERR_clear_error();
  return loaded;
}

bool checkCaFile(const std::string& path, std::string& error) {
  BioPtr bio = detail::readPemFile(path, "CA file", error);
  if (!bio) {
    return false;
  }
  X509Ptr first(PEM_read_bio_X509(bio.get(), nullptr, noPassphrase, nullptr));
  ERR_clear_error();
  if (!first) {
    error = "CA file '" + path + "' holds no PEM certificate";
    return false;
  }
  return true;
}

}  // namespace sluice::tls
