#pragma once
// The TLS side of one listener: one SSL_CTX per certificate (so RSA and ECDSA certificates, each with
// its own chain, sit side by side), all configured alike, and the SNI table choosing among them.
//
// Built on the control thread when a config loads (never on a worker loop), immutable afterwards,
// and shared by every worker through the node snapshot: SSL_CTX is safe to use from several threads
// once configured, and its session cache is internally locked. A connection keeps the shared_ptr
// for its life, so a reload that builds a new context never disturbs open connections.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/tls/openssl_ptr.h"
#include "engine/tls/sni_table.h"
#include "engine/tls/ticket_keys.h"

namespace sluice::tls {

class ServerContext;
using ServerContextPtr = std::shared_ptr<const ServerContext>;

class ServerContext {
 public:
  // From a loaded `tls:` block (every certificate's `loaded` set, as the config loader leaves it) of
  // listener `listener`, issuing tickets with `tickets` (the listener's keys, kept across reloads;
  // unused when session_tickets is off). Null with `error` set if OpenSSL refuses a setting.
  static ServerContextPtr build(const config::TlsConfig& config, const std::string& listener,
                                TicketKeysPtr tickets, std::string& error);

  ServerContext(const ServerContext&) = delete;
  ServerContext& operator=(const ServerContext&) = delete;
  ~ServerContext() = default;

  // A new server-side SSL on the default certificate's context; the servername callback switches it
  // to the certificate SNI asks for. The caller owns the result and attaches its BIOs.
  SslPtr newSsl() const;

  std::chrono::milliseconds handshakeTimeout() const { return handshake_timeout_; }
  // Where the verified client subject goes upstream; empty when client certificates are off.
  const std::string& clientSubjectHeader() const { return client_subject_header_; }

 private:
  ServerContext() = default;
  bool configure(SSL_CTX* ctx, const config::TlsConfig& config, const std::string& listener,
                 std::string& error) const;
  static int onServerName(SSL* ssl, int* alert, void* arg);

  std::vector<SslCtxPtr> contexts_;  // one per certificate, in config order; [0] is the default
  SniTable sni_;
  TicketKeysPtr tickets_;
  std::chrono::milliseconds handshake_timeout_{10000};
  std::string client_subject_header_;
};

}  // namespace sluice::tls
