#include "engine/proxy/upstream_connection.h"

#include "engine/core/uv_error.h"
#include "engine/proxy/upstream_server.h"
#include "engine/tls/tls_transport.h"

namespace sluice::proxy {

UpstreamConnection::UpstreamConnection(uv_loop_t* loop, UpstreamServer* server)
    : loop_(loop),
      server_(server),
      tcp_(core::TcpStream::create(loop)),
      stream_(tcp_),
      timer_(core::Timer::create(loop, [this] { onTimer(); })),
      parser_(this) {
  stream_->setHandler(this);
}

UpstreamConnection::~UpstreamConnection() {
  close();
}

void UpstreamConnection::useTls(tls::ClientContextPtr context, std::string host) {
  tls_ = std::move(context);
  tls_host_ = std::move(host);
}

void UpstreamConnection::connect(const sockaddr* address, uint64_t timeout_ms, UpstreamListener* listener) {
  listener_ = listener;
  connect_timeout_ms_ = timeout_ms;
  connecting_ = true;
  timer_->start(timeout_ms);
  const int rc = tcp_->connect(address, &UpstreamConnection::onConnect, this);
  if (rc != 0) {
    // Reported like any other connect failure, but not from inside this call.
    connecting_ = false;
    timer_->start(0);
  }
}

void UpstreamConnection::onConnect(void* context, int status) {
  auto* self = static_cast<UpstreamConnection*>(context);
  self->connecting_ = false;
  self->timer_->stop();
  if (status != 0) {
    self->fail(UpstreamFailure::ConnectFailed, uv_strerror(status));
    return;
  }
  self->connected_ = true;
  self->stream_->setNoDelay();
  if (self->tls_) {
    // The request is written at once and waits in the transport until the handshake is done; a
    // failed handshake (an untrusted certificate) ends the stream and is reported as a failed connect.
    tls::TlsTransport* tls = tls::TlsTransport::createClient(
        self->loop_, self->tcp_, self->tls_, self->tls_host_, &self->server_->tls_session, self,
        std::chrono::milliseconds(self->connect_timeout_ms_));
    if (tls == nullptr) {
      self->fail(UpstreamFailure::ConnectFailed, "cannot start a TLS session");
      return;
    }
    self->stream_ = tls;
    self->handshaking_ = true;
  }
  if (self->listener_ != nullptr) {
    self->listener_->onUpstreamConnected();
  }
}

void UpstreamConnection::begin(UpstreamListener* listener, bool head_request, uint64_t first_byte_ms,
                               uint64_t idle_ms) {
  listener_ = listener;
  idle_ = false;
  on_idle_end_ = nullptr;
  got_bytes_ = false;
  complete_ = false;
  reusable_ = false;
  head_seen_ = false;
  idle_timeout_ms_ = idle_ms;
  ++requests_;
  parser_.start(head_request);
  timer_->setDeadline(first_byte_ms);
  stream_->startReading();
}

bool UpstreamConnection::send(const core::IoSlice* slices, size_t count) {
  if (closed_) {
    return false;
  }
  return stream_->write(slices, count);
}

void UpstreamConnection::park(uint64_t idle_timeout_ms, IdleEnd on_idle_end, void* context) {
  listener_ = nullptr;
  idle_ = true;
  on_idle_end_ = on_idle_end;
  idle_context_ = context;
  timer_->setDeadline(idle_timeout_ms);
  stream_->startReading();  // to notice the server closing
}

void UpstreamConnection::close() {
  if (closed_) {
    return;
  }
  closed_ = true;
  listener_ = nullptr;
  timer_->close();
  stream_->close();
}

void UpstreamConnection::onStreamData(const char* data, size_t length) {
  if (idle_) {
    // Unsolicited bytes on an idle connection: it can't be trusted for another request.
    if (on_idle_end_ != nullptr) {
      on_idle_end_(idle_context_, this);
    }
    return;
  }
  got_bytes_ = true;
  handshaking_ = false;
  if (head_seen_) {
    timer_->setDeadline(idle_timeout_ms_);
  }
  const http::ResponseParser::Result r = parser_.feed(data, length);
  if (closed_ || listener_ == nullptr) {
    return;
  }
  if (r.status == http::ResponseParser::Status::Error) {
    fail(UpstreamFailure::BadResponse, r.reason);
    return;
  }
  if (r.status == http::ResponseParser::Status::Complete) {
    // Extra bytes after a complete response mean the framing is off: don't reuse.
    const bool reusable = reusable_ && r.consumed == length;
    UpstreamListener* listener = listener_;
    listener_ = nullptr;
    listener->onUpstreamComplete(reusable);
    return;
  }
  listener_->onUpstreamReadEnd();
}

void UpstreamConnection::onStreamEnd(int status) {
  if (idle_) {
    if (on_idle_end_ != nullptr) {
      on_idle_end_(idle_context_, this);
    }
    return;
  }
  if (listener_ == nullptr) {
    return;
  }
  if (status == UV_EOF) {
    const http::ResponseParser::Result r = parser_.finish();
    if (r.status == http::ResponseParser::Status::Complete) {
      timer_->stop();
      UpstreamListener* listener = listener_;
      listener_ = nullptr;
      listener->onUpstreamComplete(false);
      return;
    }
    fail(UpstreamFailure::Reset, r.reason);
    return;
  }
  if (handshaking_ && !stream_->failureDetail().empty()) {
    detail_ = stream_->failureDetail();
    fail(UpstreamFailure::ConnectFailed, detail_.c_str());
    return;
  }
  fail(UpstreamFailure::Reset, uv_strerror(status));
}

void UpstreamConnection::onStreamDrained() {
  if (listener_ != nullptr) {
    listener_->onUpstreamDrained();
  }
}

void UpstreamConnection::onResponseHead(http::ResponseHead& head) {
  head_seen_ = true;
  timer_->start(idle_timeout_ms_);
  if (listener_ != nullptr) {
    listener_->onUpstreamResponseHead(head);
  }
}

void UpstreamConnection::onResponseBody(const char* data, size_t length) {
  if (listener_ != nullptr) {
    listener_->onUpstreamBody(data, length);
  }
}

void UpstreamConnection::onResponseComplete() {
  complete_ = true;
  reusable_ = parser_.keepAlive();
}

void UpstreamConnection::onTimer() {
  if (idle_) {
    if (on_idle_end_ != nullptr) {
      on_idle_end_(idle_context_, this);
    }
    return;
  }
  if (connecting_ || !connected_) {
    fail(connecting_ ? UpstreamFailure::ConnectTimeout : UpstreamFailure::ConnectFailed,
         connecting_ ? "connect timed out" : "connect failed");
    return;
  }
  if (head_seen_) {
    fail(UpstreamFailure::IdleTimeout, "response body timed out");
    return;
  }
  fail(UpstreamFailure::ResponseTimeout, "response timed out");
}

void UpstreamConnection::fail(UpstreamFailure failure, const char* detail) {
  timer_->stop();
  stream_->stopReading();
  UpstreamListener* listener = listener_;
  listener_ = nullptr;
  if (listener != nullptr) {
    listener->onUpstreamFailure(failure, got_bytes_, detail);
  }
}

}  // namespace sluice::proxy
