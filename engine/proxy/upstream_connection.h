#pragma once
// One connection to an upstream server: connect (with a timeout), send a request, parse the
// response, then go back to its pool as an idle keep-alive connection or close. Lives on one
// worker's loop thread; owned by its UpstreamPool (idle) or by the ProxyHandler using it (busy).
// Closed with close(), freed through the reaper.

#include <uv.h>

#include <cstdint>
#include <string>

#include "engine/core/tcp_stream.h"
#include "engine/core/timer.h"
#include "engine/http/response_parser.h"
#include "engine/tls/client_context.h"

namespace sluice::proxy {

struct UpstreamServer;

// ResponseTimeout: no response head within the first-byte timeout; IdleTimeout: a response started
// and then nothing arrived within the idle timeout.
enum class UpstreamFailure { ConnectFailed, ConnectTimeout, ResponseTimeout, IdleTimeout, Reset, BadResponse };

class UpstreamListener {
 public:
  virtual ~UpstreamListener() = default;
  virtual void onUpstreamConnected() = 0;
  virtual void onUpstreamResponseHead(http::ResponseHead& head) = 0;
  virtual void onUpstreamBody(const char* data, size_t length) = 0;
  // The response is complete; `reusable` says whether the connection may serve another request.
  virtual void onUpstreamComplete(bool reusable) = 0;
  // `response_bytes` is false when the server sent nothing at all for this request.
  virtual void onUpstreamFailure(UpstreamFailure failure, bool response_bytes, const char* detail) = 0;
  virtual void onUpstreamDrained() {}
  // One read from the server has been handled (the response may be incomplete).
  virtual void onUpstreamReadEnd() {}
};

class UpstreamConnection final : public core::StreamHandler, public http::ResponseListener {
 public:
  UpstreamConnection(uv_loop_t* loop, UpstreamServer* server);
  ~UpstreamConnection() override;
  UpstreamConnection(const UpstreamConnection&) = delete;
  UpstreamConnection& operator=(const UpstreamConnection&) = delete;

  UpstreamServer* server() const { return server_; }
  bool connected() const { return connected_; }
  bool closed() const { return closed_; }
  uint32_t requestsServed() const { return requests_; }

  // Speak TLS to `host` (the server as configured: SNI and certificate name) once connected.
  void useTls(tls::ClientContextPtr context, std::string host);
  void connect(const sockaddr* address, uint64_t timeout_ms, UpstreamListener* listener);
  // A new request on a connected connection: the listener gets its response. `first_byte_ms` bounds
  // the wait for the response head, `idle_ms` each wait between reads after it.
  void begin(UpstreamListener* listener, bool head_request, uint64_t first_byte_ms, uint64_t idle_ms);
  bool send(const core::IoSlice* slices, size_t count);
  bool send(const char* data, size_t length) {
    core::IoSlice s{data, length};
    return send(&s, 1);
  }
  size_t queuedBytes() const { return stream_->queuedBytes(); }
  void pauseReading() { stream_->stopReading(); }
  void resumeReading() { stream_->startReading(); }

  // Idle in the pool: any byte or close from the server ends it (reported to `on_idle_end`).
  using IdleEnd = void (*)(void* context, UpstreamConnection* connection);
  void park(uint64_t idle_timeout_ms, IdleEnd on_idle_end, void* context);
  void close();

  // core::StreamHandler
  void onStreamData(const char* data, size_t length) override;
  void onStreamEnd(int status) override;
  void onStreamDrained() override;
  // http::ResponseListener
  void onResponseHead(http::ResponseHead& head) override;
  void onResponseBody(const char* data, size_t length) override;
  void onResponseComplete() override;

 private:
  static void onConnect(void* context, int status);
  void onTimer();
  void fail(UpstreamFailure failure, const char* detail);

  uv_loop_t* loop_;
  UpstreamServer* server_;
  core::TcpStream* tcp_;
  core::Transport* stream_;  // tcp_, or the TLS transport over it once connected
  tls::ClientContextPtr tls_;
  std::string tls_host_;
  uint64_t connect_timeout_ms_ = 0;
  bool handshaking_ = false;  // TLS: connected, no byte of application data seen yet
  std::string detail_;        // a failure's text that outlives the call reporting it
  core::Timer* timer_;
  http::ResponseParser parser_;
  UpstreamListener* listener_ = nullptr;
  IdleEnd on_idle_end_ = nullptr;
  void* idle_context_ = nullptr;
  uint64_t idle_timeout_ms_ = 0;
  bool head_seen_ = false;
  uint32_t requests_ = 0;
  bool connected_ = false;
  bool connecting_ = false;
  bool idle_ = false;
  bool got_bytes_ = false;
  bool complete_ = false;
  bool reusable_ = false;
  bool closed_ = false;
};

}  // namespace sluice::proxy
