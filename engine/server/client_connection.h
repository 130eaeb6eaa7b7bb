#pragma once
// One client connection: HTTP/1.1 framing toward the client, keep-alive and pipelining, timeouts,
// limits, backpressure in both directions, and graceful (lingering) close. Lives on one worker's
// loop thread for its whole life; owned by its ConnectionOwner and freed through the reaper.
//
// Timeouts share one timer (see armTimer): header_timeout, body_timeout, idle, send and linger, and
// the minimum receive rate of a head or body (MinRateWatch), whose deadline only moves when bytes
// arrive.
//
// Requests on one connection are answered strictly in order: after a whole request is parsed the
// parser pauses and reading stops until the response is finished, so at most one read buffer of
// pipelined input waits per connection.

#include <uv.h>

#include <memory>
#include <string>

#include "engine/core/transport.h"
#include "engine/core/timer.h"
#include "engine/http/request_parser.h"
#include "engine/server/connection_owner.h"
#include "engine/server/dispatcher.h"
#include "engine/server/min_rate_watch.h"
#include "engine/server/request_context.h"
#include "engine/server/response_sink.h"

namespace sluice::server {

class ClientConnection final : public core::StreamHandler, public http::RequestListener, public ResponseSink {
 public:
  // Request body bytes a handler may hold before the client is paused; same for queued output.
  static constexpr size_t kWatermark = 256 * 1024;
  static constexpr uint64_t kLingerMs = 2000;
  // A drain leaves an idle keep-alive connection open this long (or the idle timeout, if shorter):
  // a request already on its way is answered (with Connection: close) instead of meeting a reset.
  static constexpr uint64_t kDrainIdleMs = 1000;
  // Pipelined input read ahead while a response is pending; reading pauses at this size.
  static constexpr size_t kMaxPipelined = 64 * 1024;

  ClientConnection(uv_loop_t* loop, core::Transport* stream, ConnectionOwner& owner, Dispatcher& dispatcher);
  ~ClientConnection() override;
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;

  void start();
  // Over the connection limit: answer 503 and close.
  void rejectBusy();
  // Node shutdown: close now if idle, otherwise after the current response.
  void drain();
  void abort() { closeNow(); }
  // Keeps `lease` (e.g. a per-address connection count) until the connection closes.
  void holdLease(core::Lease lease) { connection_lease_ = std::move(lease); }
  bool idle() const { return !request_active_ && !parser_.started(); }

  // core::StreamHandler
  void onStreamData(const char* data, size_t length) override;
  void onStreamEnd(int status) override;
  void onStreamDrained() override;

  // http::RequestListener
  int onRequestHead(http::RequestHead& head) override;
  void onRequestBody(const char* data, size_t length) override;
  void onRequestComplete() override;

  // ResponseSink
  void startResponse(const ResponseStart& start) override;
  bool sendBody(const char* data, size_t length) override;
  void finishResponse() override;
  size_t pendingOutput() const override { return stream_->queuedBytes(); }
  void resumeRequestBody() override;
  void sendContinue() override;
  void sendError(int status, std::string_view extra_lines = {}) override;
  void flush() override;

 private:
  enum class TimerMode { None, Idle, Header, Body, Send, Linger };

  void consume(const char* data, size_t length);
  bool finishExchange();
  void continueAfterExchange(std::string pending);
  // The first bytes of a request head are here: header_timeout and the head's rate start now.
  void beginHead();
  // Counts the error by status (countError), then refuseRequest().
  void failRequest(int status, const char* reason);
  // Answers `status` outside of (or instead of) the current request, then closes.
  void refuseRequest(int status, const char* reason);
  // The request body stopped coming in time: 408 if no response started, else a cut connection;
  // the handler (an upstream request streaming the body) is told the client is gone.
  void abortBody();
  // The head or body fell below min_request_rate: counted, logged (within the owner's budget), 408.
  void onTooSlow(bool body);
  void pauseInput();
  void closeGracefully();
  void closeNow();
  void armTimer(TimerMode mode);
  // Arms the timer for the earlier of the mode's deadline and (heads and bodies) the rate deadline.
  void scheduleTimer();
  uint64_t now() const { return uv_now(loop_); }
  void onTimer();
  bool bodyless() const;
  // The dispatcher's finished() for the current request, then what the request held is released.
  void reportFinished();

  uv_loop_t* loop_;
  core::Transport* stream_;
  core::Timer* timer_;
  ConnectionOwner& owner_;
  Dispatcher& dispatcher_;
  ConnectionSettings settings_;
  http::RequestParser parser_;
  const http::RequestHead* head_ = nullptr;
  RequestContext context_;
  std::unique_ptr<RequestHandler> handler_;
  std::string leftover_;
  std::string out_;
  core::Lease connection_lease_;
  TimerMode timer_mode_ = TimerMode::None;
  uint64_t mode_deadline_ = 0;  // loop time (ms) at which the current mode's timeout expires
  MinRateWatch rate_;           // the head or body being received
  uint32_t requests_ = 0;
  bool in_feed_ = false;
  bool request_active_ = false;
  bool request_complete_ = false;
  bool response_started_ = false;
  bool response_done_ = false;
  bool keep_alive_ = true;
  bool chunked_out_ = false;
  bool head_pending_ = false;  // out_ holds a response head not yet written
  bool close_delimited_ = false;
  bool continue_sent_ = false;
  bool input_paused_ = false;
  bool waiting_drain_ = false;  // next request waits for queued output to drain
  bool closing_ = false;
  bool closed_ = false;
};

}  // namespace sluice::server
