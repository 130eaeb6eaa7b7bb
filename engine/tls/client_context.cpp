#include "engine/tls/client_context.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "engine/tls/openssl_error.h"
#include "engine/tls/tls_defaults.h"

namespace sluice::tls {
namespace {

int slotIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

bool isIpLiteral(const std::string& host) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 || inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

}  // namespace

ClientContextPtr ClientContext::build(const config::UpstreamTlsConfig& config, std::string& error) {
  std::shared_ptr<ClientContext> built(new ClientContext());
  built->ctx_.reset(SSL_CTX_new(TLS_client_method()));
  SSL_CTX* ctx = built->ctx_.get();
  if (ctx == nullptr || SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(ctx, kIntermediateCiphers) != 1 ||
      SSL_CTX_set1_groups_list(ctx, kGroups) != 1 ||
      SSL_CTX_set_alpn_protos(ctx, kAlpnProtocols, sizeof kAlpnProtocols) != 0) {
    error = opensslError("cannot create a TLS client context");
    return nullptr;
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  built->verify_ = config.verify;
  built->sni_ = config.sni;
  if (config.verify) {
    const int loaded = config.ca.empty() ? SSL_CTX_set_default_verify_paths(ctx)
                                         : SSL_CTX_load_verify_locations(ctx, config.ca.c_str(), nullptr);
    if (loaded != 1) {
      error = opensslError(config.ca.empty() ? "cannot load the system trust store"
                                             : "cannot load ca '" + config.ca + "'");
      return nullptr;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  // Sessions are kept by the caller's slots, not in an OpenSSL cache.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(ctx, &ClientContext::onNewSession);
  return built;
}

SslPtr ClientContext::newSsl(const std::string& host, SessionSlot* slot) const {
  SslPtr ssl(SSL_new(ctx_.get()));
  if (!ssl) {
    return ssl;
  }
  const std::string& name = sni_.empty() ? host : sni_;
  const bool ip = sni_.empty() && isIpLiteral(host);
  if (!ip && !name.empty() && SSL_set_tlsext_host_name(ssl.get(), name.c_str()) != 1) {
    return nullptr;
  }
  if (verify_) {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl.get());
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                      : X509_VERIFY_PARAM_set1_host(param, name.c_str(), 0);
    if (ok != 1) {
      return nullptr;
    }
  }
  SSL_set_ex_data(ssl.get(), slotIndex(), slot);
  if (slot != nullptr && slot->session) {
    // A copy: OpenSSL changes the session object a connection used (a TLS 1.3 resumption leaves
    // it unusable for the next one), and the slot's session must stay good for every later one.
    SSL_SESSION* copy = SSL_SESSION_dup(slot->session.get());
    if (copy != nullptr) {
      SSL_set_session(ssl.get(), copy);
      SSL_SESSION_free(copy);  // the SSL holds its own reference
    }
  }
  SSL_set_connect_state(ssl.get());
  return ssl;
}

int ClientContext::onNewSession(SSL* ssl, SSL_SESSION* session) {
  auto* slot = static_cast<SessionSlot*>(SSL_get_ex_data(ssl, slotIndex()));
  if (slot == nullptr) {
    return 0;  // OpenSSL keeps (and frees) its reference
  }
  slot->session = SessionPtr(session, SSL_SESSION_free);
  return 1;  // we took the reference
}

}  // namespace sluice::tls
