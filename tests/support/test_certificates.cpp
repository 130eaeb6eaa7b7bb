#include "tests/support/test_certificates.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <QtGlobal>
#include <fstream>

#include "engine/tls/openssl_ptr.h"

namespace sluice::test {
namespace {

tls::EvpPkeyPtr makeKey(KeyType type) {
  EVP_PKEY* key = type == KeyType::Rsa ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
  if (key == nullptr) {
    qFatal("test_certificates: key generation failed");
  }
  return tls::EvpPkeyPtr(key);
}

void addSans(X509* cert, const std::vector<std::string>& sans) {
  std::string value;
  for (const std::string& name : sans) {
    value += (value.empty() ? "DNS:" : ",DNS:") + name;
  }
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, value.c_str());
  if (ext == nullptr || X509_add_ext(cert, ext, -1) != 1) {
    qFatal("test_certificates: cannot add subjectAltName %s", value.c_str());
  }
  X509_EXTENSION_free(ext);
}

template <typename Write>
void writePem(const std::string& path, Write write) {
  tls::BioPtr bio(BIO_new_file(path.c_str(), "w"));
  if (!bio || write(bio.get()) != 1) {
    qFatal("test_certificates: cannot write %s", path.c_str());
  }
}

}  // namespace

TestCertificate writeSelfSigned(const std::string& dir, const std::string& stem,
                                const std::string& common_name, const std::vector<std::string>& sans,
                                KeyType type) {
  tls::EvpPkeyPtr key = makeKey(type);
  tls::X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600L * 24 * 30);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (!sans.empty()) {
    addSans(cert.get(), sans);
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    qFatal("test_certificates: signing failed");
  }
  TestCertificate out{dir + "/" + stem + ".crt", dir + "/" + stem + ".key"};
  writePem(out.cert_path, [&](BIO* bio) { return PEM_write_bio_X509(bio, cert.get()); });
  writePem(out.key_path, [&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  return out;
}

void writeTextFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) {
    qFatal("test_certificates: cannot write %s", path.c_str());
  }
}

}  // namespace sluice::test
