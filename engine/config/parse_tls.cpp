// A listener's `tls:` block. Certificates and keys are read and checked here, at load time on the
// loading thread, so a bad pair is a `file:line` error and a reload with one keeps the old config.

#include "engine/config/parse_tls.h"

#include <array>

#include "engine/http/header_token.h"
#include "engine/tls/certified_key.h"
#include "engine/tls/cipher_check.h"

namespace sluice::config::detail {
namespace {

constexpr std::array<std::string_view, 10> kTlsKeys{
    "certificates",         "min_version",     "ciphers",
    "ciphersuites",         "session_tickets", "session_ticket_rotation",
    "handshake_timeout",    "client_ca",       "verify",
    "client_subject_header"};
constexpr std::array<std::string_view, 2> kCertificateKeys{"cert", "key"};

constexpr std::array<Choice<TlsVersion>, 2> kVersions{
    {{"1.2", TlsVersion::Tls12}, {"1.3", TlsVersion::Tls13}}};
constexpr std::array<Choice<ClientVerify>, 2> kVerify{
    {{"require", ClientVerify::Require}, {"optional", ClientVerify::Optional}}};

void parseCertificates(const Field& field, const std::string& context, Diagnostics& diag, TlsConfig& out) {
  std::optional<std::vector<Field>> items = readList(field, diag);
  if (!items) {
    return;
  }
  if (items->empty()) {
    diag.error(field.line, context + ": 'certificates' must list at least one {cert, key}");
    return;
  }
  for (const Field& item : *items) {
    if (!expectMap(item, "each certificate", diag)) {
      continue;
    }
    MapReader map(item.value, kCertificateKeys, diag);
    TlsCertificateConfig& certificate = out.certificates.emplace_back();
    certificate.where = diag.where(item.line);
    const bool has_cert = map.require("cert", context) && map.read("cert", certificate.cert);
    const bool has_key = map.require("key", context) && map.read("key", certificate.key);
    if (!has_cert || !has_key) {
      continue;
    }
    std::string error;
    certificate.loaded = tls::loadCertifiedKey(certificate.cert, certificate.key, error);
    if (!certificate.loaded) {
      diag.error(item.line, context + ": " + error);
    }
  }
}

}  // namespace

void parseTls(const Field& field, const std::string& context, Diagnostics& diag,
              std::optional<TlsConfig>& out) {
  if (!expectMap(field, "'tls'", diag)) {
    return;
  }
  MapReader map(field.value, kTlsKeys, diag);
  TlsConfig& tls = out.emplace();
  tls.where = diag.where(field.line);
  if (map.require("certificates", context)) {
    parseCertificates(*map.find("certificates"), context, diag, tls);
  }
  map.readEnum("min_version", tls.min_version, kVersions);
  if (map.read("ciphers", tls.ciphers) && !tls::validCipherList(tls.ciphers)) {
    diag.error(map.find("ciphers")->line,
               context + ": 'ciphers' selects no cipher OpenSSL knows: '" + tls.ciphers + "'");
  }
  if (map.read("ciphersuites", tls.ciphersuites) && !tls::validCipherSuites(tls.ciphersuites)) {
    diag.error(map.find("ciphersuites")->line,
               context + ": 'ciphersuites' is not a list of TLS 1.3 suites OpenSSL knows: '" +
                   tls.ciphersuites + "'");
  }
  map.readBool("session_tickets", tls.session_tickets);
  map.read("session_ticket_rotation", tls.session_ticket_rotation, std::chrono::minutes(1));
  map.read("handshake_timeout", tls.handshake_timeout, Duration(1));

  const bool has_verify = map.readEnum("verify", tls.verify, kVerify);
  if (map.read("client_ca", tls.client_ca)) {
    std::string error;
    if (!tls::checkCaFile(tls.client_ca, error)) {
      diag.error(map.find("client_ca")->line, context + ": " + error);
    }
    if (!has_verify && map.find("verify") == nullptr) {
      tls.verify = ClientVerify::Require;  // a CA given for client certificates means: check them
    }
  } else if (has_verify) {
    diag.error(map.find("verify")->line,
               context + ": 'verify' needs 'client_ca' (the CAs to check client certificates against)");
  }
  if (map.read("client_subject_header", tls.client_subject_header) &&
      !http::isToken(tls.client_subject_header)) {
    diag.error(map.find("client_subject_header")->line,
               context + ": client_subject_header '" + tls.client_subject_header + "' is not a header name");
  }
}

}  // namespace sluice::config::detail
