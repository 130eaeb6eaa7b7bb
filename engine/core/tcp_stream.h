#pragma once
// One TCP connection (uv_tcp_t), client- or upstream-side. Owned by exactly one loop thread.
//
// Reads land in a per-thread 64 KiB buffer and are handed to the handler synchronously: the handler
// copies whatever it keeps past the callback. Writes go out with uv_try_write first; only what the
// kernel did not take is copied into a queued uv_write, and queuedBytes() drives backpressure.
// The owner calls close() instead of deleting: no handler callback fires after close(), and the
// object frees itself in the uv_close callback (queued writes are cancelled).

#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "engine/core/ip_address.h"
#include "engine/core/transport.h"

namespace sluice::core {

class TcpStream final : public Transport {
 public:
  using ConnectCallback = void (*)(void* context, int status);

  static TcpStream* create(uv_loop_t* loop);

  int accept(uv_stream_t* server);
  // Connects to a resolved address; `done` runs once on the loop thread with 0 or a libuv error.
  int connect(const sockaddr* address, ConnectCallback done, void* context);

  void setHandler(StreamHandler* handler) override { handler_ = handler; }
  void startReading() override;
  void stopReading() override;
  bool reading() const { return reading_; }

  // Sends the slices in order after anything already queued. Returns false when the stream has
  // failed (the caller handles it; no callback fires from inside write). A later asynchronous write
  // failure is reported through onStreamEnd.
  bool write(const IoSlice* slices, size_t count) override;
  using Transport::write;
  size_t queuedBytes() const override { return queued_bytes_; }
  bool failed() const { return failed_; }

  // Half-closes (FIN) once queued writes are out; reading continues.
  void shutdownWrite() override;
  void close() override;
  // Runs once in the uv_close callback, just before the stream frees itself (a wrapper that must
  // outlive the handle frees itself here).
  void setCloseCallback(void (*closed)(void* context), void* context) {
    closed_ = closed;
    closed_context_ = context;
  }

  std::string peerAddress() const override;  // "127.0.0.1" or "::1", without the port
  std::optional<IpAddress> peerIp() const override;
  void setNoDelay() override;

 private:
  struct WriteRequest;
  TcpStream() = default;
  ~TcpStream() = default;

  static void onAlloc(uv_handle_t* handle, size_t suggested, uv_buf_t* buf);
  static void onRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
  static void onWrite(uv_write_t* req, int status);
  void fail(int status);

  uv_tcp_t handle_{};
  StreamHandler* handler_ = nullptr;
  size_t queued_bytes_ = 0;
  bool reading_ = false;
  bool closing_ = false;
  bool failed_ = false;
  ConnectCallback connect_done_ = nullptr;
  void* connect_context_ = nullptr;
  uv_connect_t connect_req_{};
  uv_shutdown_t shutdown_req_{};
  void (*closed_)(void*) = nullptr;
  void* closed_context_ = nullptr;
};

}  // namespace sluice::core
