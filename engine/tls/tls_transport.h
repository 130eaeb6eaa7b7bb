#pragma once
// TLS over one accepted TCP connection, as a core::Transport, so HTTP code never touches SSL.
// Owned like a TcpStream: by one loop thread, closed with close(), freed once its TCP handle has
// closed (the TcpStream's close callback).
//
// The SSL reads ciphertext from the bytes of the current TCP read (transport_bio.h), and its output
// is sent as one TCP write per SSL call; the one exception is the end of the server's handshake
// (TLS 1.3 session tickets), held until the answer to a request read in the same turn joins it.
// The handshake runs on the first reads; the HTTP handler sees nothing until it is done. Until then the TCP side reads whatever the HTTP side asks, and plaintext
// the HTTP side writes early (a 503 to a client over the connection limit) waits in `early_output_`.
//
// Backpressure: queuedBytes() is the TCP queue plus early output, so HTTP's watermarks work as on
// plain TCP. When HTTP stops reading in the middle of a TCP read, the rest of that read is kept
// (`held_input_`, at most one read: TCP reading stops too) and delivered on a later loop turn
// after startReading(), never from inside it.
//
// Failures: the first byte decides plain HTTP (answered with a plain-text 400 and closed), a stall
// ends at handshake_timeout, a protocol error ends the handshake; each is counted and logged by the
// worker's HandshakeRecorder and reported to HTTP as onStreamEnd(UV_EPROTO / UV_ETIMEDOUT).

#include <uv.h>

#include <chrono>
#include <string>

#include "engine/core/tcp_stream.h"
#include "engine/core/timer.h"
#include "engine/core/transport.h"
#include "engine/tls/client_context.h"
#include "engine/tls/handshake_failure.h"
#include "engine/tls/openssl_ptr.h"
#include "engine/tls/server_context.h"
#include "engine/tls/transport_bio.h"

namespace sluice::tls {

class HandshakeRecorder;

class TlsTransport final : public core::Transport, private core::StreamHandler {
 public:
  // Server side of an accepted connection. Takes over `tcp` (this becomes its handler). Null when
  // OpenSSL cannot make a session (out of memory): the caller then closes `tcp`.
  static TlsTransport* create(uv_loop_t* loop, core::TcpStream* tcp, ServerContextPtr context,
                              HandshakeRecorder& recorder, std::chrono::milliseconds handshake_timeout);
  // Client side of a connected upstream connection to `host` (name or IP literal, for SNI and
  // verification), reusing and refreshing `slot`'s session. The ClientHello goes out at once;
  // writes wait for the handshake; a failure reaches `handler` as onStreamEnd(UV_EPROTO), with the
  // reason in failureDetail(). Null (caller closes `tcp`) when OpenSSL cannot make a session.
  static TlsTransport* createClient(uv_loop_t* loop, core::TcpStream* tcp, ClientContextPtr context,
                                    const std::string& host, SessionSlot* slot, core::StreamHandler* handler,
                                    std::chrono::milliseconds handshake_timeout);

  // core::Transport
  void setHandler(core::StreamHandler* handler) override { handler_ = handler; }
  void startReading() override;
  void stopReading() override;
  bool write(const core::IoSlice* slices, size_t count) override;
  using core::Transport::write;
  size_t queuedBytes() const override { return tcp_->queuedBytes() + early_output_.size(); }
  void shutdownWrite() override;
  void close() override;
  std::string peerAddress() const override { return tcp_->peerAddress(); }
  std::optional<core::IpAddress> peerIp() const override { return tcp_->peerIp(); }
  void setNoDelay() override { tcp_->setNoDelay(); }
  const core::TlsSessionInfo* tlsSession() const override { return &session_; }
  std::string_view failureDetail() const override { return failure_detail_; }

 private:
  TlsTransport(core::TcpStream* tcp, HandshakeRecorder* recorder) : tcp_(tcp), recorder_(recorder) {}
  // Attaches the BIO, the timer and the TCP handler; false when OpenSSL fails.
  bool setUp(uv_loop_t* loop, SslPtr ssl, std::chrono::milliseconds handshake_timeout);
  ~TlsTransport() = default;

  // core::StreamHandler, from the TCP side
  void onStreamData(const char* data, size_t length) override;
  void onStreamEnd(int status) override;
  void onStreamDrained() override;

  void process();             // runs the handshake, then decrypts for the HTTP side while it reads
  void processAndKeepRest();  // process() on input_, then keeps what it left in held_input_
  bool handshake();
  void handshakeDone();
  void handshakeFailed(HandshakeFailure reason, std::string_view detail);
  void answerPlainHttp();
  bool encrypt(const char* data, size_t length);
  bool flushCipher();
  void fail(int status);  // reports the end to the HTTP side once
  void updateTcpReading();
  bool holdsInput() const;
  void onTimer();
  static void onTcpClosed(void* self);

  core::TcpStream* tcp_;
  ServerContextPtr context_;         // server side: keeps the SSL_CTX alive for this connection's life
  ClientContextPtr client_context_;  // client side: the same
  HandshakeRecorder* recorder_;      // server side: counts and logs handshakes; null on the client side
  std::string failure_detail_;       // why the handshake failed (OpenSSL's reason), for the caller's log
  SslPtr ssl_;
  core::Timer* timer_ = nullptr;  // handshake timeout, then "deliver held input" (0 ms)
  core::StreamHandler* handler_ = nullptr;
  CipherInput input_;         // what the SSL reads next: the current TCP read or held_input_
  std::string held_input_;    // ciphertext read from TCP but not yet consumed
  std::string early_output_;  // plaintext written before the handshake finished
  std::string held_output_;   // ciphertext of the handshake's end, sent with the first answer
  core::TlsSessionInfo session_;
  bool reading_ = false;  // the HTTP side wants data
  bool first_byte_seen_ = false;
  bool handshake_done_ = false;
  bool shutdown_wanted_ = false;  // shutdownWrite() before the handshake finished
  bool shutdown_sent_ = false;
  bool ended_ = false;  // onStreamEnd was reported to the HTTP side
  bool failed_ = false;
  bool closing_ = false;
  bool in_process_ = false;
};

}  // namespace sluice::tls
