#include "engine/tls/server_context.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>

#include "engine/tls/certified_key.h"
#include "engine/tls/openssl_error.h"
#include "engine/tls/tls_defaults.h"

namespace sluice::tls {
namespace {

// The first queued OpenSSL error as text (the queue is then cleared), for build errors.
int selectAlpn(SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* in,
               unsigned int in_length, void*) {
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_length, kAlpnProtocols, sizeof kAlpnProtocols, in, in_length) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;  // no protocol in common: go on without ALPN, HTTP/1.1 is assumed
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

// SHA-256 over the listener name and what decides whether a client must show a certificate.
std::array<unsigned char, 32> sessionIdContext(const std::string& listener, const config::TlsConfig& config) {
  std::string material = "sluice\n" + listener + "\n" + std::to_string(static_cast<int>(config.verify)) +
                         "\n" + config.client_ca;
  std::array<unsigned char, 32> id{};
  unsigned int length = 0;
  EVP_Digest(material.data(), material.size(), id.data(), &length, EVP_sha256(), nullptr);
  return id;
}

bool useCertificate(SSL_CTX* ctx, const CertifiedKey& key) {
  if (SSL_CTX_use_certificate(ctx, key.certificate.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, key.key.get()) != 1) {
    return false;
  }
  for (const X509Ptr& link : key.chain) {
    if (SSL_CTX_add1_chain_cert(ctx, link.get()) != 1) {
      return false;
    }
  }
  return SSL_CTX_check_private_key(ctx) == 1;
}

}  // namespace

ServerContextPtr ServerContext::build(const config::TlsConfig& config, const std::string& listener,
                                      TicketKeysPtr tickets, std::string& error) {
  std::shared_ptr<ServerContext> built(new ServerContext());
  built->tickets_ = std::move(tickets);
  built->handshake_timeout_ = std::chrono::duration_cast<std::chrono::milliseconds>(config.handshake_timeout);
  if (config.verify != config::ClientVerify::Off) {
    built->client_subject_header_ = config.client_subject_header;
  }
  // Certificates for the same names with different key types (RSA beside ECDSA) share one context:
  // OpenSSL then picks, per handshake, the one the client's signature algorithms allow.
  struct Slot {
    std::vector<std::string> names;  // sorted
    std::vector<int> key_types;
  };
  std::vector<Slot> slots;
  for (const config::TlsCertificateConfig& certificate : config.certificates) {
    if (!certificate.loaded) {
      error = "certificate '" + certificate.cert + "' was not loaded";
      return nullptr;
    }
    std::vector<std::string> names = certificate.loaded->names;
    std::sort(names.begin(), names.end());
    const int key_type = EVP_PKEY_get_base_id(certificate.loaded->key.get());
    size_t index = slots.size();
    for (size_t j = 0; j < slots.size(); ++j) {
      if (slots[j].names == names && std::find(slots[j].key_types.begin(), slots[j].key_types.end(),
                                               key_type) == slots[j].key_types.end()) {
        index = j;
        break;
      }
    }
    if (index == slots.size()) {
      SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
      if (!ctx || !built->configure(ctx.get(), config, listener, error)) {
        if (error.empty()) {
          error = opensslError("cannot create a TLS context");
        }
        return nullptr;
      }
      built->sni_.add(index, certificate.loaded->names);
      built->contexts_.push_back(std::move(ctx));
      slots.push_back({std::move(names), {}});
    }
    if (!useCertificate(built->contexts_[index].get(), *certificate.loaded)) {
      error = opensslError("cannot use certificate '" + certificate.cert + "'");
      return nullptr;
    }
    slots[index].key_types.push_back(key_type);
  }
  if (built->contexts_.empty()) {
    error = "no certificate";
    return nullptr;
  }
  // Only the context a handshake starts on runs the servername callback.
  SSL_CTX_set_tlsext_servername_callback(built->contexts_[0].get(), &ServerContext::onServerName);
  SSL_CTX_set_tlsext_servername_arg(built->contexts_[0].get(), built.get());
  return built;
}

// Every certificate's context gets the same settings: after an SNI switch OpenSSL reads some of them
// (ALPN, verification store) from the new context.
bool ServerContext::configure(SSL_CTX* ctx, const config::TlsConfig& config, const std::string& listener,
                              std::string& error) const {
  const int min_version = config.min_version == config::TlsVersion::Tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
  // (Client-initiated renegotiation is off by default in OpenSSL 3; NO_RENEGOTIATION refuses all.)
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | (config.session_tickets ? 0 : SSL_OP_NO_TICKET));
  SSL_CTX_clear_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);  // intermediate profile: client's choice
  const std::string ciphers = config.ciphers.empty() ? kIntermediateCiphers : config.ciphers;
  if (SSL_CTX_set_min_proto_version(ctx, min_version) != 1 ||
      SSL_CTX_set_cipher_list(ctx, ciphers.c_str()) != 1 ||
      (!config.ciphersuites.empty() && SSL_CTX_set_ciphersuites(ctx, config.ciphersuites.c_str()) != 1) ||
      SSL_CTX_set1_groups_list(ctx, kGroups) != 1 || SSL_CTX_set_dh_auto(ctx, 1) != 1) {
    error = opensslError("invalid TLS settings");
    return false;
  }
  // A session resumes only where it was made: the id context names the listener and its client
  // verification, so a session from a listener without client certificates never skips the check.
  const std::array<unsigned char, 32> id = sessionIdContext(listener, config);
  if (SSL_CTX_set_session_id_context(ctx, id.data(), id.size()) != 1) {
    error = opensslError("cannot set the session id context");
    return false;
  }
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
  SSL_CTX_sess_set_cache_size(ctx, kSessionCacheSize);
  if (config.session_tickets && tickets_) {
    tickets_->attach(ctx);
  }
  SSL_CTX_set_alpn_select_cb(ctx, selectAlpn, nullptr);
  if (config.verify != config::ClientVerify::Off) {
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(config.client_ca.c_str());
    if (names == nullptr || SSL_CTX_load_verify_locations(ctx, config.client_ca.c_str(), nullptr) != 1) {
      sk_X509_NAME_pop_free(names, X509_NAME_free);
      error = opensslError("cannot load client_ca '" + config.client_ca + "'");
      return false;
    }
    SSL_CTX_set_client_CA_list(ctx, names);  // takes ownership
    const int mode = config.verify == config::ClientVerify::Require
                         ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
                         : SSL_VERIFY_PEER;
    SSL_CTX_set_verify(ctx, mode, nullptr);
  }
  return true;
}

SslPtr ServerContext::newSsl() const {
  SslPtr ssl(SSL_new(contexts_[0].get()));
  if (ssl) {
    SSL_set_accept_state(ssl.get());
  }
  return ssl;
}

int ServerContext::onServerName(SSL* ssl, int*, void* arg) {
  const auto* self = static_cast<const ServerContext*>(arg);
  const char* host = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (host == nullptr) {
    return SSL_TLSEXT_ERR_NOACK;  // no SNI: the default certificate
  }
  const std::optional<size_t> index = self->sni_.find(host);
  if (index && *index != 0) {
    SSL_set_SSL_CTX(ssl, self->contexts_[*index].get());
  }
  // An unknown name gets the default certificate rather than an alert, as browsers expect.
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace sluice::tls
