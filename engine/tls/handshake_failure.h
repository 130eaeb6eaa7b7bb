#pragma once
// Why a TLS handshake did not complete, as counted (sluice_tls_handshake_failures_total{reason}) and
// logged. Header-only.

#include <string_view>

namespace sluice::tls {

enum class HandshakeFailure {
  Timeout,            // the client stalled past handshake_timeout
  PlainHttp,          // plain HTTP on a TLS port (answered with a plain-text 400)
  ProtocolVersion,    // no TLS version in common (e.g. a TLS 1.1 client)
  NoSharedCipher,     // no cipher in common
  ClientCertificate,  // mTLS: no client certificate where one is required, or it did not verify
  Closed,             // the client closed the connection mid-handshake
  Other,              // any other protocol error (garbage, a bad record, an alert from the client)
};

inline std::string_view handshakeFailureName(HandshakeFailure reason) {
  switch (reason) {
    case HandshakeFailure::Timeout:
      return "timeout";
    case HandshakeFailure::PlainHttp:
      return "plain_http";
    case HandshakeFailure::ProtocolVersion:
      return "protocol_version";
    case HandshakeFailure::NoSharedCipher:
      return "no_shared_cipher";
    case HandshakeFailure::ClientCertificate:
      return "client_certificate";
    case HandshakeFailure::Closed:
      return "closed";
    case HandshakeFailure::Other:
      return "other";
  }
  return "other";
}

// The failure an OpenSSL error code (ERR_get_error) stands for.
HandshakeFailure classifyHandshakeError(unsigned long error);

}  // namespace sluice::tls
