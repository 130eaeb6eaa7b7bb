#pragma once
// Answers one request by forwarding it to an upstream: picks a server, sends the head (hop-by-hop
// headers removed, X-Forwarded-For/-Proto, Via and X-Request-ID added), streams the body both ways
// with backpressure, and maps failures to 502/504. Retries once, on another server, an idempotent
// request whose connection failed before any byte was sent; and once, on a fresh connection, an
// idempotent bodiless request whose reused keep-alive connection was closed under it.

#include <memory>
#include <string>

#include "engine/http/message_head.h"
#include "engine/proxy/upstream_pool.h"
#include "engine/server/request_context.h"
#include "engine/server/response_sink.h"

namespace sluice::stats {
struct NodeCounters;
}

namespace sluice::proxy {

class ProxyHandler final : public server::RequestHandler, public UpstreamListener {
 public:
  ProxyHandler(UpstreamPoolPtr pool, const http::RequestHead& head, server::RequestContext& context,
               server::ResponseSink& sink, stats::NodeCounters& counters);
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

 private:
  void buildRequestHead();
  void attempt();
  void sendRequest();
  void writeBody(const char* data, size_t length);
  void releaseConnection(bool reusable);
  void answerError(int status);

  UpstreamPoolPtr pool_;
  const http::RequestHead& head_;
  server::RequestContext& context_;
  server::ResponseSink& sink_;
  stats::NodeCounters& counters_;
  UpstreamServer* server_ = nullptr;
  UpstreamServer* failed_server_ = nullptr;
  UpstreamConnection* connection_ = nullptr;
  std::string request_head_;
  std::string pending_body_;     // framed body bytes not yet sent upstream
  http::HeaderList response_headers_;
  int attempts_ = 0;
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
