#pragma once
// A TLS handshake between a client SSL and a server SSL over an in-memory BIO pair: no sockets, no
// loop, deterministic. For tests of contexts (SNI, versions, ALPN, resumption) below the transport.

#include <string>

#include "engine/tls/openssl_ptr.h"

namespace sluice::test {

struct HandshakeResult {
  bool ok = false;
  std::string served_subject_cn;  // the CN of the certificate the client received
  std::string alpn;               // the protocol ALPN selected, "" if none
  bool resumed = false;
  int version = 0;  // SSL_version() of the client, e.g. TLS1_3_VERSION
};

// A client context that accepts any certificate (the tests check what was served, not trust) and
// lets the caller lower the protocol floor to test refusals.
tls::SslCtxPtr makeTestClientContext(int min_version = TLS1_VERSION, int max_version = 0);

// Runs the handshake to completion or failure. `sni` empty: no SNI sent; `alpn` in wire format, empty:
// no ALPN offered. `session`, when not null, is offered for resumption; `session_out`, when not null,
// receives the client's session afterwards (for a later resumption).
HandshakeResult memoryHandshake(SSL_CTX* client_ctx, tls::SslPtr server, const std::string& sni,
                                const std::string& alpn = {}, SSL_SESSION* session = nullptr,
                                SSL_SESSION** session_out = nullptr);

}  // namespace sluice::test
