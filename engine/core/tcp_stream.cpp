#include "engine/core/tcp_stream.h"

#include <arpa/inet.h>

#include <cassert>
#include <cstring>
#include <memory>

namespace sluice::core {

// A queued write owns a copy of the bytes the kernel did not take at once.
struct TcpStream::WriteRequest {
  uv_write_t req{};
  TcpStream* stream = nullptr;
  size_t length = 0;
  char data[1];  // allocated to `length`

  static WriteRequest* make(size_t length) {
    void* raw = ::operator new(offsetof(WriteRequest, data) + length);
    auto* request = new (raw) WriteRequest();
    request->length = length;
    return request;
  }
  static void destroy(WriteRequest* request) {
    request->~WriteRequest();
    ::operator delete(request);
  }
};

TcpStream* TcpStream::create(uv_loop_t* loop) {
  auto* stream = new TcpStream();
  uv_tcp_init(loop, &stream->handle_);
  stream->handle_.data = stream;
  return stream;
}

int TcpStream::accept(uv_stream_t* server) {
  return uv_accept(server, reinterpret_cast<uv_stream_t*>(&handle_));
}

int TcpStream::connect(const sockaddr* address, ConnectCallback done, void* context) {
  connect_done_ = done;
  connect_context_ = context;
  connect_req_.data = this;
  return uv_tcp_connect(&connect_req_, &handle_, address, [](uv_connect_t* req, int status) {
    auto* self = static_cast<TcpStream*>(req->data);
    if (status == UV_ECANCELED || self->closing_) {
      return;  // closed while connecting: the owner is gone
    }
    if (self->connect_done_ != nullptr) {
      self->connect_done_(self->connect_context_, status);
    }
  });
}

void TcpStream::onAlloc(uv_handle_t*, size_t, uv_buf_t* buf) {
  // Safe to share per thread: onRead hands the bytes over synchronously and never keeps them.
  thread_local char buffer[64 * 1024];
  *buf = uv_buf_init(buffer, sizeof(buffer));
}

void TcpStream::onRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  auto* self = static_cast<TcpStream*>(stream->data);
  if (self->closing_ || self->handler_ == nullptr) {
    return;
  }
  if (nread > 0) {
    self->handler_->onStreamData(buf->base, static_cast<size_t>(nread));
  } else if (nread < 0) {
    self->stopReading();
    self->handler_->onStreamEnd(static_cast<int>(nread));
  }
}

void TcpStream::startReading() {
  if (reading_ || closing_ || failed_) {
    return;
  }
  if (uv_read_start(reinterpret_cast<uv_stream_t*>(&handle_), &TcpStream::onAlloc, &TcpStream::onRead) == 0) {
    reading_ = true;
  }
}

void TcpStream::stopReading() {
  if (!reading_) {
    return;
  }
  uv_read_stop(reinterpret_cast<uv_stream_t*>(&handle_));
  reading_ = false;
}

bool TcpStream::write(const IoSlice* slices, size_t count) {
  if (closing_ || failed_) {
    return false;
  }
  constexpr size_t kMaxSlices = 16;
  assert(count <= kMaxSlices && "callers pass a handful of slices");
  uv_buf_t bufs[kMaxSlices];
  size_t total = 0;
  size_t n = 0;
  for (size_t i = 0; i < count && n < kMaxSlices; ++i) {
    if (slices[i].length == 0) {
      continue;
    }
    bufs[n++] = uv_buf_init(const_cast<char*>(slices[i].data), static_cast<unsigned>(slices[i].length));
    total += slices[i].length;
  }
  if (total == 0) {
    return true;
  }
  size_t written = 0;
  if (queued_bytes_ == 0) {
    int rc = uv_try_write(reinterpret_cast<uv_stream_t*>(&handle_), bufs, static_cast<unsigned>(n));
    if (rc >= 0) {
      written = static_cast<size_t>(rc);
    } else if (rc != UV_EAGAIN) {
      failed_ = true;  // the caller sees `false` and handles it; no re-entrant callback here
      stopReading();
      return false;
    }
  }
  if (written == total) {
    return true;
  }
  WriteRequest* request = WriteRequest::make(total - written);
  request->stream = this;
  size_t offset = 0;
  size_t skip = written;
  for (size_t i = 0; i < n; ++i) {
    size_t length = bufs[i].len;
    if (skip >= length) {
      skip -= length;
      continue;
    }
    std::memcpy(request->data + offset, bufs[i].base + skip, length - skip);
    offset += length - skip;
    skip = 0;
  }
  queued_bytes_ += request->length;
  request->req.data = request;
  uv_buf_t rest = uv_buf_init(request->data, static_cast<unsigned>(request->length));
  int rc = uv_write(&request->req, reinterpret_cast<uv_stream_t*>(&handle_), &rest, 1, &TcpStream::onWrite);
  if (rc != 0) {
    queued_bytes_ -= request->length;
    WriteRequest::destroy(request);
    failed_ = true;
    stopReading();
    return false;
  }
  return true;
}

void TcpStream::onWrite(uv_write_t* req, int status) {
  auto* request = static_cast<WriteRequest*>(req->data);
  TcpStream* self = request->stream;
  self->queued_bytes_ -= request->length;
  WriteRequest::destroy(request);
  if (self->closing_ || self->handler_ == nullptr) {
    return;
  }
  if (status < 0) {
    self->fail(status);
    return;
  }
  if (self->queued_bytes_ == 0) {
    self->handler_->onStreamDrained();
  }
}

void TcpStream::fail(int status) {
  if (failed_) {
    return;
  }
  failed_ = true;
  stopReading();
  if (handler_ != nullptr) {
    handler_->onStreamEnd(status);
  }
}

void TcpStream::shutdownWrite() {
  if (closing_ || failed_) {
    return;
  }
  shutdown_req_.data = this;
  uv_shutdown(&shutdown_req_, reinterpret_cast<uv_stream_t*>(&handle_), [](uv_shutdown_t*, int) {});
}

void TcpStream::close() {
  if (closing_) {
    return;
  }
  closing_ = true;
  handler_ = nullptr;
  reading_ = false;
  uv_close(reinterpret_cast<uv_handle_t*>(&handle_), [](uv_handle_t* h) {
    auto* self = static_cast<TcpStream*>(h->data);
    if (self->closed_ != nullptr) {
      self->closed_(self->closed_context_);
    }
    delete self;
  });
}

std::string TcpStream::peerAddress() const {
  sockaddr_storage storage{};
  int length = sizeof(storage);
  if (uv_tcp_getpeername(&handle_, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
    return "-";
  }
  char text[INET6_ADDRSTRLEN] = {0};
  if (storage.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&storage)->sin_addr, text, sizeof(text));
  } else if (storage.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&storage)->sin6_addr, text, sizeof(text));
  }
  return text;
}

std::optional<IpAddress> TcpStream::peerIp() const {
  sockaddr_storage storage{};
  int length = sizeof(storage);
  if (uv_tcp_getpeername(&handle_, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
    return std::nullopt;
  }
  return ipFromSockaddr(reinterpret_cast<const sockaddr*>(&storage));
}

void TcpStream::setNoDelay() { uv_tcp_nodelay(&handle_, 1); }

}  // namespace sluice::core
