#include "engine/tls/tls_transport.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#include "engine/tls/handshake_recorder.h"

namespace sluice::tls {
namespace {

// Slices that together fit one TLS record are encrypted as one (one record, one MAC, 29 bytes of
// overhead instead of one per slice); larger writes are encrypted slice by slice.
constexpr size_t kCoalesceLimit = 16 * 1024;
// held_input_ keeps its memory only up to this capacity when it empties: an idle connection should
// not pin a whole read buffer.
constexpr size_t kKeptHeldCapacity = 4 * 1024;

constexpr std::string_view kPlainHttpAnswer =
    "HTTP/1.1 400 Bad Request\r\n"
    "Content-Type: text/plain\r\n"
    "Content-Length: 53\r\n"
    "Connection: close\r\n"
    "\r\n"
    "This port speaks HTTPS: use https:// in the address.\n";
static_assert(kPlainHttpAnswer.size() - kPlainHttpAnswer.find("\r\n\r\n") - 4 == 53);

std::string subjectOf(X509* certificate) {
  std::string text;
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), X509_get_subject_name(certificate), 0, XN_FLAG_RFC2253) < 0) {
    return text;
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  if (length > 0) {
    text.assign(data, static_cast<size_t>(length));
  }
  // RFC 2253 output escapes control characters; this is the header-injection guard regardless.
  std::erase_if(text, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  return text;
}

}  // namespace

TlsTransport* TlsTransport::create(uv_loop_t* loop, core::TcpStream* tcp, ServerContextPtr context,
                                   HandshakeRecorder& recorder, std::chrono::milliseconds handshake_timeout) {
  SslPtr ssl = context->newSsl();
  if (!ssl) {
    return nullptr;
  }
  SSL_set_accept_state(ssl.get());
  auto* self = new TlsTransport(tcp, &recorder);
  self->session_.client_subject_header = context->clientSubjectHeader();
  self->context_ = std::move(context);
  if (!self->setUp(loop, std::move(ssl), handshake_timeout)) {
    delete self;
    return nullptr;
  }
  return self;
}

TlsTransport* TlsTransport::createClient(uv_loop_t* loop, core::TcpStream* tcp, ClientContextPtr context,
                                         const std::string& host, SessionSlot* slot,
                                         core::StreamHandler* handler,
                                         std::chrono::milliseconds handshake_timeout) {
  SslPtr ssl = context->newSsl(host, slot);
  if (!ssl) {
    return nullptr;
  }
  auto* self = new TlsTransport(tcp, nullptr);
  self->client_context_ = std::move(context);
  self->first_byte_seen_ = true;  // a server speaks first only in TLS: no plain-HTTP check
  if (!self->setUp(loop, std::move(ssl), handshake_timeout)) {
    delete self;
    return nullptr;
  }
  self->handler_ = handler;
  self->processAndKeepRest();  // sends the ClientHello
  return self;
}

bool TlsTransport::setUp(uv_loop_t* loop, SslPtr ssl, std::chrono::milliseconds handshake_timeout) {
  BIO* bio = newTransportBio(&input_);
  if (bio == nullptr) {
    return false;
  }
  SSL_set_bio(ssl.get(), bio, bio);  // one BIO both ways: the SSL owns it
  // Idle keep-alive connections give their 16 KiB record buffers back (as nginx does).
  SSL_set_mode(ssl.get(), SSL_MODE_RELEASE_BUFFERS);
  ssl_ = std::move(ssl);
  tcp_->setHandler(this);
  timer_ = core::Timer::create(loop, [this] { onTimer(); });
  timer_->start(static_cast<uint64_t>(handshake_timeout.count()));
  updateTcpReading();
  return true;
}

void TlsTransport::startReading() {
  if (closing_ || failed_ || reading_) {
    return;
  }
  reading_ = true;
  if (handshake_done_ && holdsInput()) {
    timer_->start(0);  // delivered on the next loop turn: never from inside the handler's call
  }
  updateTcpReading();
}

void TlsTransport::stopReading() {
  reading_ = false;
  updateTcpReading();
}

bool TlsTransport::holdsInput() const {
  return !held_input_.empty() || SSL_has_pending(ssl_.get()) == 1;
}

void TlsTransport::updateTcpReading() {
  // The handshake reads on its own; after it, TCP reads only while HTTP does and nothing is held.
  const bool want = !closing_ && !failed_ && !ended_ && (!handshake_done_ || (reading_ && !holdsInput()));
  if (want) {
    tcp_->startReading();
  } else {
    tcp_->stopReading();
  }
}

void TlsTransport::onStreamData(const char* data, size_t length) {
  if (closing_ || failed_) {
    return;
  }
  if (!first_byte_seen_) {
    first_byte_seen_ = true;
    // A TLS connection starts with a handshake record (0x16); an HTTP method starts with a capital.
    if (length > 0 && data[0] >= 'A' && data[0] <= 'Z') {
      answerPlainHttp();
      return;
    }
  }
  if (held_input_.empty()) {
    input_ = {data, length};
  } else {
    held_input_.append(data, length);
    input_ = {held_input_.data(), held_input_.size()};
  }
  processAndKeepRest();
}

void TlsTransport::processAndKeepRest() {
  process();
  if (closing_) {
    return;
  }
  // Keep what the SSL has not read: the TCP read buffer is reused as soon as we return.
  if (input_.length == 0) {
    if (held_input_.capacity() > kKeptHeldCapacity) {
      std::string().swap(held_input_);
    } else {
      held_input_.clear();
    }
  } else if (!held_input_.empty()) {
    held_input_.erase(0, static_cast<size_t>(input_.data - held_input_.data()));
  } else {
    held_input_.assign(input_.data, input_.length);
  }
  input_ = {held_input_.data(), held_input_.size()};
  updateTcpReading();
}

void TlsTransport::process() {
  if (in_process_) {
    return;
  }
  in_process_ = true;
  if (handshake_done_ || handshake()) {
    thread_local char plain[16 * 1024];  // one record's plaintext; the handler copies what it keeps
    while (reading_ && !closing_ && !failed_ && !ended_) {
      size_t n = 0;
      const int rc = SSL_read_ex(ssl_.get(), plain, sizeof plain, &n);
      if (!held_output_.empty()) {
        held_output_ += pendingCipherOutput();  // still behind the tickets, for the answer to join
        pendingCipherOutput().clear();
      } else if (!flushCipher()) {
        fail(UV_EPIPE);
        break;
      }
      if (rc == 1) {
        handler_->onStreamData(plain, n);
        continue;
      }
      const int error = SSL_get_error(ssl_.get(), rc);
      if (error == SSL_ERROR_WANT_READ) {
        break;
      }
      ERR_clear_error();
      if (error == SSL_ERROR_ZERO_RETURN) {
        // close_notify: the client is done sending, like a FIN; we may still answer.
        ended_ = true;
        updateTcpReading();
        handler_->onStreamEnd(UV_EOF);
        break;
      }
      fail(UV_EPROTO);
    }
  }
  if (!held_output_.empty() && !flushCipher()) {
    fail(UV_EPIPE);
  }
  in_process_ = false;
}

bool TlsTransport::handshake() {
  const int rc = SSL_do_handshake(ssl_.get());
  if (rc == 1 && reading_) {
    // The server's last handshake output (TLS 1.3 tickets) waits for the answer to the request that
    // usually came with the client's Finished: one TCP write instead of two. process() sends it
    // when no answer follows at once.
    held_output_ = pendingCipherOutput();
    pendingCipherOutput().clear();
  } else if (!flushCipher()) {
    handshakeFailed(HandshakeFailure::Closed, "write failed");
    return false;
  }
  if (rc == 1) {
    handshakeDone();
    return !closing_ && !failed_;
  }
  if (SSL_get_error(ssl_.get(), rc) == SSL_ERROR_WANT_READ) {
    return false;
  }
  const unsigned long code = ERR_peek_error();
  const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
  const std::string detail = reason != nullptr ? reason : "";
  ERR_clear_error();
  handshakeFailed(classifyHandshakeError(code), detail);
  return false;
}

void TlsTransport::handshakeDone() {
  handshake_done_ = true;
  timer_->stop();
  if (recorder_ != nullptr) {
    recorder_->succeeded(ssl_.get());
  }
  if (const char* name = SSL_get_servername(ssl_.get(), TLSEXT_NAMETYPE_host_name)) {
    session_.server_name = name;
  }
  if (X509* peer = SSL_get0_peer_certificate(ssl_.get());
      peer != nullptr && SSL_get_verify_result(ssl_.get()) == X509_V_OK) {
    session_.client_subject = subjectOf(peer);
  }
  if (!early_output_.empty()) {
    const bool ok = encrypt(early_output_.data(), early_output_.size()) && flushCipher();
    std::string().swap(early_output_);
    if (!ok) {
      fail(UV_EPIPE);
      return;
    }
  }
  if (shutdown_wanted_) {
    shutdownWrite();
  }
}

void TlsTransport::handshakeFailed(HandshakeFailure reason, std::string_view detail) {
  if (recorder_ == nullptr) {
    // The client side: say what an operator can act on (an untrusted or misnamed certificate).
    const long verify = SSL_get_verify_result(ssl_.get());
    failure_detail_ =
        "TLS handshake failed: " + std::string(verify != X509_V_OK ? X509_verify_cert_error_string(verify)
                                               : detail.empty()    ? handshakeFailureName(reason)
                                                                   : detail);
  }
  if (recorder_ != nullptr) {
    recorder_->failed(reason, tcp_->peerAddress(), detail);
  }
  fail(reason == HandshakeFailure::Timeout  ? UV_ETIMEDOUT
       : reason == HandshakeFailure::Closed ? UV_EOF
                                            : UV_EPROTO);
}

void TlsTransport::answerPlainHttp() {
  tcp_->write(kPlainHttpAnswer.data(), kPlainHttpAnswer.size());
  tcp_->shutdownWrite();
  handshakeFailed(HandshakeFailure::PlainHttp, "");
}

bool TlsTransport::write(const core::IoSlice* slices, size_t count) {
  if (closing_ || failed_) {
    return false;
  }
  if (!handshake_done_) {
    for (size_t i = 0; i < count; ++i) {
      early_output_.append(slices[i].data, slices[i].length);
    }
    return true;
  }
  size_t total = 0;
  for (size_t i = 0; i < count; ++i) {
    total += slices[i].length;
  }
  bool ok = true;
  if (count > 1 && total <= kCoalesceLimit) {
    thread_local std::string joined;
    joined.clear();
    for (size_t i = 0; i < count; ++i) {
      joined.append(slices[i].data, slices[i].length);
    }
    ok = encrypt(joined.data(), joined.size());
  } else {
    for (size_t i = 0; i < count && ok; ++i) {
      ok = encrypt(slices[i].data, slices[i].length);
    }
  }
  return flushCipher() && ok;
}

bool TlsTransport::encrypt(const char* data, size_t length) {
  if (length == 0) {
    return true;
  }
  size_t written = 0;
  if (SSL_write_ex(ssl_.get(), data, length, &written) != 1) {
    ERR_clear_error();
    failed_ = true;
    updateTcpReading();
    return false;
  }
  return true;
}

bool TlsTransport::flushCipher() {
  std::string& out = pendingCipherOutput();
  if (out.empty() && held_output_.empty()) {
    return true;
  }
  const core::IoSlice slices[2] = {{held_output_.data(), held_output_.size()}, {out.data(), out.size()}};
  const size_t first = held_output_.empty() ? 1 : 0;
  const size_t count = out.empty() ? 1 - first : 2 - first;
  const bool ok = !failed_ && tcp_->write(slices + first, count);
  out.clear();
  if (!held_output_.empty()) {
    std::string().swap(held_output_);
  }
  if (!ok) {
    failed_ = true;
  }
  return ok;
}

void TlsTransport::shutdownWrite() {
  if (closing_ || failed_) {
    return;
  }
  if (!handshake_done_) {
    shutdown_wanted_ = true;  // after the handshake and the early output
    return;
  }
  if (!shutdown_sent_) {
    shutdown_sent_ = true;
    SSL_shutdown(ssl_.get());  // sends close_notify; we do not wait for the client's
    ERR_clear_error();
    flushCipher();
  }
  tcp_->shutdownWrite();
}

void TlsTransport::close() {
  if (closing_) {
    return;
  }
  if (handshake_done_ && !shutdown_sent_ && !failed_) {
    shutdown_sent_ = true;
    SSL_shutdown(ssl_.get());
    ERR_clear_error();
    flushCipher();
  }
  closing_ = true;
  handler_ = nullptr;
  reading_ = false;
  // The session stays resumable however the connection ends (as nginx does): a client that drops an
  // idle keep-alive connection has done nothing wrong. Without this OpenSSL removes it from the cache.
  SSL_set_shutdown(ssl_.get(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  timer_->close();
  timer_ = nullptr;
  tcp_->setCloseCallback(&TlsTransport::onTcpClosed, this);
  tcp_->close();
}

void TlsTransport::onTcpClosed(void* self) {
  delete static_cast<TlsTransport*>(self);
}

void TlsTransport::onStreamEnd(int status) {
  if (closing_) {
    return;
  }
  if (!handshake_done_ && !failed_) {
    handshakeFailed(status == UV_EOF ? HandshakeFailure::Closed : HandshakeFailure::Other,
                    status == UV_EOF ? "" : uv_strerror(status));
    return;
  }
  fail(status);
}

void TlsTransport::onStreamDrained() {
  if (!closing_ && handshake_done_ && early_output_.empty() && handler_ != nullptr) {
    handler_->onStreamDrained();
  }
}

void TlsTransport::fail(int status) {
  failed_ = true;
  updateTcpReading();
  if (ended_ || closing_) {
    return;
  }
  ended_ = true;
  if (handler_ != nullptr) {
    handler_->onStreamEnd(status);
  }
}

void TlsTransport::onTimer() {
  if (closing_) {
    return;
  }
  if (!handshake_done_) {
    handshakeFailed(HandshakeFailure::Timeout, "");
    return;
  }
  // Input held while HTTP was not reading; HTTP reads again.
  input_ = {held_input_.data(), held_input_.size()};
  processAndKeepRest();
}

}  // namespace sluice::tls
