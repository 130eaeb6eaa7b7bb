#pragma once
// Answers one request by forwarding it to an upstream: waits for room under the upstream's
// max_in_flight (its queue), picks a server (skipping drained, unhealthy, passively down and
// breaker-open ones), sends the head (hop-by-hop headers removed, X-Forwarded-For/-Proto, Via and
// X-Request-ID added), streams the body both ways with backpressure, and maps failures to 502/503/504
// with a counted reason. Retries follow the route's `retries` (docs/resilience.md): on the failures
// listed, within `tries`, with backoff and jitter, within the route's retry budget, on another
// server when there is one, and only while no request body byte has left (bodies are streamed,
// never kept for a replay). Besides, once, on a fresh connection and outside the budget, an
// idempotent bodiless request whose reused keep-alive connection was closed under it (not the
// server's fault). Stage timeouts: connect, first_byte and idle are the connection's timer; send,
// total and the backoff wait share one timer of this handler, created only when one is in use.

#include <chrono>
#include <memory>
#include <string>

#include "engine/core/timer.h"
#include "engine/http/message_head.h"
#include "engine/proxy/route_policy.h"
#include "engine/proxy/upstream_pool.h"
#include "engine/server/request_context.h"
#include "engine/server/response_sink.h"

namespace sluice::stats {
struct NodeCounters;
}

namespace sluice::proxy {

class ProxyHandler final : public server::RequestHandler, public UpstreamListener, public PoolWaiter {
 public:
  // `policy` may be null: the default retries (config::RetryConfig) and no route timeouts.
  ProxyHandler(UpstreamPoolPtr pool, const http::RequestHead& head, server::RequestContext& context,
               server::ResponseSink& sink, stats::NodeCounters& counters, RoutePolicyPtr policy = nullptr);
  ~ProxyHandler() override;

  // server::RequestHandler
  void start() override;

  void onRequestBody(const char* data, size_t length) override;
  void onRequestComplete() override;
  size_t pendingInput() const override;
  void onOutputDrained() override;
  void onClientGone() override;

  // UpstreamListener
  void onUpstreamConnected() override;
  void onUpstreamResponseHead(http::ResponseHead& head) override;
  void onUpstreamBody(const char* data, size_t length) override;
  void onUpstreamComplete(bool reusable) override;
  void onUpstreamFailure(UpstreamFailure failure, bool response_bytes, const char* detail) override;
  void onUpstreamDrained() override;
  void onUpstreamReadEnd() override;

  // PoolWaiter
  void onAdmitted() override;
  void onQueueTimeout() override;

 private:
  using Clock = std::chrono::steady_clock;

  void buildRequestHead();
  void attempt();
  void sendRequest();
  void writeBody(const char* data, size_t length);
  void releaseConnection(bool reusable);
  void answerError(int status, std::string_view extra_lines = "Via: 1.1 sluice\r\n");
  void answerUnavailable();
  // Retries when `why` is in the route's list and tries, budget, method and body allow; true if so.
  bool retry(uint32_t why);
  void breakerVerdict(bool success);
  void checkSendDone();
  void armStageTimer();
  void onStageTimer();
  enum class Stage { Send, Total };
  void timeoutNow(Stage stage);
  void finish();
  uint64_t firstByteMs() const;

  UpstreamPoolPtr pool_;
  const http::RequestHead& head_;
  server::RequestContext& context_;
  server::ResponseSink& sink_;
  stats::NodeCounters& counters_;
  RoutePolicyPtr policy_;
  UpstreamServer* server_ = nullptr;
  UpstreamServer* failed_server_ = nullptr;
  UpstreamConnection* connection_ = nullptr;
  core::Timer* stage_timer_ = nullptr;  // send / total deadlines and the backoff wait
  Clock::time_point total_deadline_ = Clock::time_point::max();
  Clock::time_point send_deadline_ = Clock::time_point::max();
  Clock::time_point backoff_until_ = Clock::time_point::max();
  std::string request_head_;
  std::string pending_body_;     // framed body bytes not yet sent upstream
  http::HeaderList response_headers_;
  uint32_t attempts_ = 0;
  bool admitted_ = false;        // holds a slot under max_in_flight (leave() when done)
  bool queued_ = false;          // waiting in the pool's queue (cancel() when gone)
  bool probe_ = false;           // this attempt is a half-open breaker probe
  bool verdict_pending_ = false; // this attempt's breaker verdict is still due
  bool reused_ = false;
  bool retried_reused_ = false;
  bool sent_ = false;            // the head went to the current connection
  bool body_bytes_sent_ = false; // some body byte left for any upstream: no retry after that
  bool request_complete_ = false;
  bool response_started_ = false;
  bool upstream_paused_ = false;
  bool done_ = false;
};

}  // namespace sluice::proxy
