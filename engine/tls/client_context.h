#pragma once
// The TLS side of one upstream: a client SSL_CTX (TLS 1.2 minimum, certificate and host-name
// verification against `ca` or the system store, ALPN http/1.1) and the name to send as SNI.
// Built on the control thread when a config loads, immutable afterwards, shared by every worker
// through the node snapshot; a connection keeps the shared_ptr for its life.
//
// Session reuse: each new SSL gets a slot (a SessionSlot the caller owns, e.g. one per upstream
// server per worker) holding the last session that server gave; OpenSSL's new-session callback
// fills it (TLS 1.3 tickets arrive after the handshake), and the next connection offers it.

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "engine/config/config.h"
#include "engine/tls/openssl_ptr.h"

namespace sluice::tls {

using SessionPtr = std::shared_ptr<SSL_SESSION>;

// The last session one server gave. Used on one loop thread only.
struct SessionSlot {
  SessionPtr session;
};

class ClientContext;
using ClientContextPtr = std::shared_ptr<const ClientContext>;

class ClientContext {
 public:
  // Null with `error` set when OpenSSL refuses a setting or the CA file.
  static ClientContextPtr build(const config::UpstreamTlsConfig& config, std::string& error);

  ClientContext(const ClientContext&) = delete;
  ClientContext& operator=(const ClientContext&) = delete;
  ~ClientContext() = default;

  // A client SSL for a server configured as `host` (a name or an IP literal): SNI and the name (or
  // address) the certificate must carry, and the slot's session offered for resumption.
  SslPtr newSsl(const std::string& host, SessionSlot* slot) const;

 private:
  ClientContext() = default;
  static int onNewSession(SSL* ssl, SSL_SESSION* session);

  SslCtxPtr ctx_;
  bool verify_ = true;
  std::string sni_;  // from the config; empty: the server's own host name
};

}  // namespace sluice::tls
