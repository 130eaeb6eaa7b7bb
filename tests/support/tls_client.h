#pragma once
// A blocking TLS client over a real TCP socket, for integration tests against the running node: it
// reports what the handshake produced (served certificate, version, resumption, ALPN) and sends
// HTTP/1.1 requests over the session. Any certificate is accepted (tests check what was served, not
// trust). Test thread only.

#include <openssl/ssl.h>

#include <QByteArray>
#include <memory>
#include <string>

#include "tests/support/http_response.h"

namespace sluice::test {

using SessionPtr = std::shared_ptr<SSL_SESSION>;

struct TlsClientOptions {
  std::string sni;        // empty: no SNI sent
  int min_version = 0;    // e.g. TLS1_VERSION to offer old versions; 0 = OpenSSL default
  int max_version = 0;    // e.g. TLS1_1_VERSION to offer nothing newer
  SessionPtr resume;      // offered for resumption
  std::string cert_path;  // client certificate and key (mTLS), or empty
  std::string key_path;
  bool tickets = true;  // false: no session tickets (TLS 1.2 session-id resumption)
};

class TlsClient {
 public:
  TlsClient() = default;
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  // Connects to 127.0.0.1:port and runs the handshake. False with error() set when it fails.
  bool connect(int port, const TlsClientOptions& options = {}, int timeout_ms = 5000);
  // Sends `request` (raw HTTP/1.1) and reads one whole response.
  HttpResponse request(const QByteArray& request, int timeout_ms = 5000);
  HttpResponse get(const QByteArray& path, const QByteArray& host = "localhost", int timeout_ms = 5000);
  // True when the server closed the connection (EOF or close_notify) within timeout_ms.
  bool waitClosed(int timeout_ms);
  void close();

  const std::string& error() const { return error_; }
  std::string servedSubjectCn() const;
  bool resumed() const;
  std::string version() const;  // "TLSv1.3"
  std::string alpn() const;
  // The session to resume later; call after a request, so TLS 1.3 tickets have arrived.
  SessionPtr session() const;

 private:
  bool fail(const std::string& what);

  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  std::string error_;
};

}  // namespace sluice::test
