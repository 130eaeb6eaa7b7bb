#include "engine/proxy/proxy_handler.h"

#include <algorithm>
#include <cstdio>

#include "engine/core/number_format.h"
#include "engine/http/hop_by_hop.h"
#include "engine/log/logger.h"
#include "engine/proxy/backoff.h"
#include "engine/server/client_connection.h"
#include "engine/stats/node_counters.h"
#include "engine/stats/upstream_server_stats.h"

namespace sluice::proxy {
namespace {

constexpr std::string_view kVia = "1.1 sluice";

void appendHeader(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

ProxyHandler::ProxyHandler(UpstreamPoolPtr pool, const http::RequestHead& head, server::RequestContext& context,
                           server::ResponseSink& sink, stats::NodeCounters& counters, RoutePolicyPtr policy)
    : pool_(std::move(pool)),
      head_(head),
      context_(context),
      sink_(sink),
      counters_(counters),
      policy_(policy ? std::move(policy) : std::make_shared<RoutePolicy>()) {}

ProxyHandler::~ProxyHandler() {
  if (connection_ != nullptr) {
    releaseConnection(false);
  }
  finish();
}

// Gives back what this request holds in its pool: the breaker probe slot (no verdict), the
// in-flight slot or the queue place, and the stage timer.
void ProxyHandler::finish() {
  if (verdict_pending_ && server_ != nullptr) {
    verdict_pending_ = false;
    pool_->breakerAbandon(server_, probe_);
  }
  if (queued_) {
    queued_ = false;
    pool_->cancel(this);
  }
  if (admitted_) {
    admitted_ = false;
    pool_->leave();
  }
  if (stage_timer_ != nullptr) {
    stage_timer_->close();
    stage_timer_ = nullptr;
  }
}

void ProxyHandler::start() {
  buildRequestHead();
  const Clock::time_point now = Clock::now();
  policy_->budget.onRequest(now);
  if (policy_->timeouts.total) {
    total_deadline_ = now + *policy_->timeouts.total;
    armStageTimer();
  }
  switch (pool_->admit(this)) {
    case UpstreamPool::Admission::Admitted:
      admitted_ = true;
      attempt();
      return;
    case UpstreamPool::Admission::Queued:
      queued_ = true;
      return;
    case UpstreamPool::Admission::Full:
      log::debug("upstream {}: over max_in_flight with a full queue; 503 for {} {}", pool_->config().name,
                 head_.method, head_.path);
      answerError(503);
      return;
  }
}

void ProxyHandler::onAdmitted() {
  queued_ = false;
  admitted_ = true;
  if (!done_) {
    attempt();
  }
}

void ProxyHandler::onQueueTimeout() {
  queued_ = false;
  if (!done_) {
    answerError(503);
  }
}

void ProxyHandler::buildRequestHead() {
  std::string& out = request_head_;
  out.reserve(512 + head_.target.size());
  out.append(head_.method).append(" ");
  // Absolute-form targets are sent upstream in origin-form.
  if (!head_.target.empty() && head_.target.front() != '/' && head_.target != "*") {
    out.append(head_.path);
    if (!head_.query.empty()) {
      out.append("?").append(head_.query);
    }
  } else {
    out.append(head_.target);
  }
  out.append(" HTTP/1.1\r\n");
  appendHeader(out, "Host", head_.host);
  const std::string_view connection = http::connectionHeader(head_.headers);
  std::string_view forwarded_for;
  std::string_view via;
  const core::TlsSessionInfo* tls = context_.tls;
  // The client-subject header is ours to set: a value from the client is dropped on every listener
  // (the default name always, the configured one on its TLS listener), so an upstream can trust it.
  const std::string_view subject_header = tls != nullptr ? std::string_view(tls->client_subject_header) : "";
  for (const http::HeaderField& h : head_.headers) {
    if (http::isHopByHop(h.name, connection) || http::equalsIgnoreCase(h.name, "host") ||
        http::equalsIgnoreCase(h.name, "expect") || http::equalsIgnoreCase(h.name, "x-request-id") ||
        http::equalsIgnoreCase(h.name, "x-forwarded-proto") ||
        http::equalsIgnoreCase(h.name, config::kDefaultClientSubjectHeader) ||
        (!subject_header.empty() && http::equalsIgnoreCase(h.name, subject_header))) {
      continue;
    }
    if (http::equalsIgnoreCase(h.name, "x-forwarded-for")) {
      forwarded_for = h.value;
      continue;
    }
    if (http::equalsIgnoreCase(h.name, "via")) {
      via = h.value;
      continue;
    }
    appendHeader(out, h.name, h.value);
  }
  out.append("X-Forwarded-For: ");
  if (!forwarded_for.empty()) {
    out.append(forwarded_for).append(", ");
  }
  out.append(context_.client_ip).append("\r\n");
  appendHeader(out, "X-Forwarded-Proto", tls != nullptr ? "https" : "http");
  if (tls != nullptr && !subject_header.empty() && !tls->client_subject.empty()) {
    appendHeader(out, subject_header, tls->client_subject);
  }
  out.append("Via: ");
  if (!via.empty()) {
    out.append(via).append(", ");
  }
  out.append(kVia).append("\r\n");
  appendHeader(out, "X-Request-ID", context_.request_id);
  if (head_.chunked) {
    out.append("Transfer-Encoding: chunked\r\n");
  } else if (head_.has_content_length) {
    out.append("Content-Length: ");
    core::appendDecimal(out, head_.content_length);
    out.append("\r\n");
  }
  out.append("\r\n");
}

void ProxyHandler::attempt() {
  backoff_until_ = Clock::time_point::max();
  ++attempts_;
  server_ = pool_->pick(failed_server_, context_.client_ip);
  if (server_ == nullptr) {
    answerUnavailable();
    return;
  }
  context_.upstream_server = server_->name;
  pool_->requestStarted(server_);
  pool_->breakerSend(server_, probe_);
  verdict_pending_ = true;
  stats::bump(server_->stats->requests);
  sent_ = false;
  connection_ = pool_->takeIdle(server_);
  reused_ = connection_ != nullptr;
  if (reused_) {
    sendRequest();
  } else {
    connection_ = pool_->connect(server_, this, policy_->timeouts.connect);
  }
}

void ProxyHandler::answerUnavailable() {
  const Unavailable why = pool_->unavailable();
  // A retry that found no other server is the failure it retried: a gateway error.
  const bool retrying = failed_server_ != nullptr;
  if (!retrying && why.reason == "breaker_open") {
    stats::bump(counters_.upstream_breaker_open);
    log::debug("upstream {}: every server's circuit breaker is open; 503 for {} {}", pool_->config().name,
               head_.method, head_.path);
    std::string extra = "Via: 1.1 sluice\r\nRetry-After: " + std::to_string(why.retry_after_s) + "\r\n";
    answerError(503, extra);
    return;
  }
  if (!retrying && why.status == 503) {
    // Drained or failing health checks: out on purpose or known down, logged at debug, not per request.
    if (why.reason == "unhealthy") {
      stats::bump(counters_.upstream_unhealthy);
    }
    log::debug("upstream {}: every server is {}; 503 for {} {}", pool_->config().name, why.reason, head_.method,
               head_.path);
    answerError(503);
    return;
  }
  log::warn("upstream {}: no live server for {} {}", pool_->config().name, head_.method, head_.path);
  stats::bump(counters_.upstream_errors);
  answerError(502);
}

void ProxyHandler::onUpstreamConnected() { sendRequest(); }

uint64_t ProxyHandler::firstByteMs() const {
  config::Duration d = policy_->timeouts.first_byte.value_or(pool_->config().response_timeout);
  if (policy_->retries.per_try_timeout > config::Duration::zero()) {
    d = std::min(d, policy_->retries.per_try_timeout);
  }
  return static_cast<uint64_t>(d.count());
}

void ProxyHandler::sendRequest() {
  const config::Duration idle = policy_->timeouts.idle.value_or(pool_->config().response_timeout);
  connection_->begin(this, head_.isHead(), firstByteMs(), static_cast<uint64_t>(idle.count()));
  sent_ = true;
  if (policy_->timeouts.send) {
    send_deadline_ = Clock::now() + *policy_->timeouts.send;
    armStageTimer();
  }
  core::IoSlice slices[2] = {{request_head_.data(), request_head_.size()},
                             {pending_body_.data(), pending_body_.size()}};
  if (!pending_body_.empty()) {
    body_bytes_sent_ = true;
  }
  connection_->send(slices, 2);
  pending_body_.clear();
  checkSendDone();
  sink_.resumeRequestBody();
}

// The send timeout runs until the whole request has left: complete, and nothing queued.
void ProxyHandler::checkSendDone() {
  if (send_deadline_ != Clock::time_point::max() && request_complete_ && pending_body_.empty() &&
      connection_ != nullptr && connection_->queuedBytes() == 0) {
    send_deadline_ = Clock::time_point::max();
  }
}

void ProxyHandler::armStageTimer() {
  const Clock::time_point due = std::min({total_deadline_, send_deadline_, backoff_until_});
  if (due == Clock::time_point::max() || done_) {
    return;
  }
  if (stage_timer_ == nullptr) {
    stage_timer_ = core::Timer::create(pool_->loop(), [this] { onStageTimer(); });
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now()).count();
  stage_timer_->start(static_cast<uint64_t>(std::max<int64_t>(0, left)));
}

void ProxyHandler::onStageTimer() {
  if (done_) {
    return;
  }
  const Clock::time_point now = Clock::now();
  if (now >= total_deadline_) {
    timeoutNow(Stage::Total);
    return;
  }
  if (now >= send_deadline_) {
    timeoutNow(Stage::Send);
    return;
  }
  if (now >= backoff_until_) {
    attempt();
  }
  armStageTimer();
}

void ProxyHandler::timeoutNow(Stage stage) {
  stats::bump(counters_.upstream_timeouts);
  stats::bump(stage == Stage::Total ? counters_.upstream_timeout_total : counters_.upstream_timeout_send);
  log::warn("upstream {}: {} {} via {}: {} timeout", pool_->config().name, head_.method, head_.path,
            server_ != nullptr ? server_->name : "-", stage == Stage::Total ? "total" : "send");
  if (server_ != nullptr && connection_ != nullptr) {
    pool_->reportFailure(server_, "timed out");
    breakerVerdict(false);
  }
  releaseConnection(false);
  if (response_started_) {
    done_ = true;
    finish();
    sink_.sendError(502);  // closes the client connection: the response is cut short
    return;
  }
  answerError(504);
}

void ProxyHandler::breakerVerdict(bool success) {
  if (verdict_pending_ && server_ != nullptr) {
    verdict_pending_ = false;
    pool_->breakerResult(server_, success, probe_);
  }
}

void ProxyHandler::writeBody(const char* data, size_t length) {
  if (head_.chunked) {
    char size_line[24];
    size_t n = core::formatHex(length, size_line);
    size_line[n++] = '\r';
    size_line[n++] = '\n';
    if (sent_ && connection_ != nullptr) {
      core::IoSlice slices[3] = {{size_line, n}, {data, length}, {"\r\n", 2}};
      body_bytes_sent_ = true;
      connection_->send(slices, 3);
    } else {
      pending_body_.append(size_line, n).append(data, length).append("\r\n");
    }
    return;
  }
  if (sent_ && connection_ != nullptr) {
    body_bytes_sent_ = true;
    connection_->send(data, length);
  } else {
    pending_body_.append(data, length);
  }
}

void ProxyHandler::onRequestBody(const char* data, size_t length) {
  if (done_ || length == 0) {
    return;
  }
  writeBody(data, length);
}

void ProxyHandler::onRequestComplete() {
  request_complete_ = true;
  if (done_) {
    return;
  }
  if (head_.chunked) {
    if (sent_ && connection_ != nullptr) {
      connection_->send("0\r\n\r\n", 5);
    } else {
      pending_body_.append("0\r\n\r\n");
    }
  }
  checkSendDone();
}

size_t ProxyHandler::pendingInput() const {
  return pending_body_.size() + (connection_ != nullptr ? connection_->queuedBytes() : 0);
}

void ProxyHandler::onUpstreamDrained() {
  checkSendDone();
  sink_.resumeRequestBody();
}

void ProxyHandler::onUpstreamReadEnd() {
  if (response_started_ && !done_) {
    sink_.flush();
  }
}

void ProxyHandler::onUpstreamResponseHead(http::ResponseHead& head) {
  const bool server_error = head.status == 500 || head.status == 502 || head.status == 503 || head.status == 504;
  breakerVerdict(!server_error);
  send_deadline_ = Clock::time_point::max();  // the server answered: what it still reads is its business
  uint32_t retry_on = 0;
  if (head.status == 502) {
    retry_on = config::kRetry502;
  } else if (head.status == 503) {
    retry_on = config::kRetry503;
  } else if (head.status == 504) {
    retry_on = config::kRetry504;
  }
  if (retry_on != 0 && retry(retry_on)) {
    return;  // this answer is dropped with its connection
  }
  response_started_ = true;
  const std::string_view connection = http::connectionHeader(head.headers);
  response_headers_.clear();
  response_headers_.reserve(head.headers.size());
  bool has_date = false;
  for (const http::HeaderField& h : head.headers) {
    if (http::isHopByHop(h.name, connection)) {
      continue;
    }
    if (http::equalsIgnoreCase(h.name, "date")) {
      has_date = true;
    }
    response_headers_.push_back(h);
  }
  server::ResponseStart start;
  start.status = head.status;
  start.headers = &response_headers_;
  start.extra_lines = "Via: 1.1 sluice\r\n";
  start.has_date = has_date;
  start.has_content_length = head.has_content_length && !head.chunked;
  start.content_length = head.content_length;
  if (head_.isHead() && head.has_content_length) {
    start.has_content_length = true;
  }
  sink_.startResponse(start);
}

void ProxyHandler::onUpstreamBody(const char* data, size_t length) {
  if (done_) {
    return;
  }
  if (!sink_.sendBody(data, length)) {
    return;  // the client is gone; onClientGone has run
  }
  if (sink_.pendingOutput() > server::ClientConnection::kWatermark && connection_ != nullptr) {
    connection_->pauseReading();
    upstream_paused_ = true;
  }
}

void ProxyHandler::onOutputDrained() {
  if (upstream_paused_ && connection_ != nullptr) {
    upstream_paused_ = false;
    connection_->resumeReading();
  }
}

void ProxyHandler::onUpstreamComplete(bool reusable) {
  pool_->reportSuccess(server_);
  breakerVerdict(true);  // a verdict not given at the head (it always is): success
  // A connection whose request body was not fully sent cannot carry another request.
  releaseConnection(reusable && request_complete_ && pending_body_.empty());
  done_ = true;
  finish();
  sink_.finishResponse();
}

void ProxyHandler::onUpstreamFailure(UpstreamFailure failure, bool response_bytes, const char* detail) {
  const bool reused_race = reused_ && !response_bytes && failure == UpstreamFailure::Reset;
  releaseConnection(false);
  if (reused_race && head_.isIdempotent() && !head_.hasBody() && !retried_reused_) {
    // The server closed an idle keep-alive connection as we reused it: not the server's fault, so
    // neither a try nor a breaker failure.
    retried_reused_ = true;
    if (verdict_pending_) {
      verdict_pending_ = false;
      pool_->breakerAbandon(server_, probe_);
    }
    stats::bump(counters_.upstream_retries);
    --attempts_;
    attempt();
    return;
  }
  uint32_t retry_on = 0;
  int status = 502;
  switch (failure) {
    case UpstreamFailure::ConnectFailed:
      stats::bump(counters_.upstream_connect_failures);
      stats::bump(counters_.upstream_refused);
      retry_on = config::kRetryConnectError;
      break;
    case UpstreamFailure::ConnectTimeout:
      stats::bump(counters_.upstream_connect_failures);
      stats::bump(counters_.upstream_timeout_connect);
      retry_on = config::kRetryConnectError;
      status = 504;
      break;
    case UpstreamFailure::ResponseTimeout:
      stats::bump(counters_.upstream_timeouts);
      stats::bump(counters_.upstream_timeout_first_byte);
      retry_on = config::kRetryTimeout;
      status = 504;
      break;
    case UpstreamFailure::IdleTimeout:
      stats::bump(counters_.upstream_timeouts);
      stats::bump(counters_.upstream_timeout_idle);
      status = 504;
      break;
    case UpstreamFailure::Reset:
      stats::bump(counters_.upstream_errors);
      stats::bump(counters_.upstream_resets);
      retry_on = config::kRetryReset;
      break;
    case UpstreamFailure::BadResponse:
      stats::bump(counters_.upstream_errors);
      break;
  }
  log::warn("upstream {}: {} {} via {} failed: {}", pool_->config().name, head_.method, head_.path,
            server_ != nullptr ? server_->name : "-", detail);
  if (server_ != nullptr) {
    pool_->reportFailure(server_, detail);
    breakerVerdict(false);
  }
  if (!response_started_ && retry_on != 0 && retry(retry_on)) {
    return;
  }
  if (response_started_) {
    done_ = true;
    finish();
    sink_.sendError(502);  // closes the client connection: the response is cut short
    return;
  }
  answerError(status);
}

bool ProxyHandler::retry(uint32_t why) {
  const config::RetryConfig& r = policy_->retries;
  if ((r.on & why) == 0 || attempts_ >= r.tries || body_bytes_sent_ || done_ ||
      (r.idempotent_only && !head_.isIdempotent()) || (!r.configured && pool_->serverCount() < 2)) {
    return false;
  }
  const Clock::time_point now = Clock::now();
  if (now >= total_deadline_) {
    return false;
  }
  if (!policy_->budget.tryRetry(now)) {
    stats::bump(counters_.upstream_retry_budget_exhausted);
    log::debug("upstream {}: retry budget spent; no retry for {} {}", pool_->config().name, head_.method,
               head_.path);
    return false;
  }
  releaseConnection(false);
  stats::bump(counters_.upstream_retries);
  // Another server when there is one; with a single server, the same one again.
  failed_server_ = pool_->serverCount() > 1 ? server_ : nullptr;
  const config::Duration wait = backoffDelay(r.backoff_base, r.backoff_max, attempts_);
  if (wait <= config::Duration::zero()) {
    attempt();
    return true;
  }
  server_ = nullptr;
  backoff_until_ = now + wait;
  armStageTimer();
  return true;
}

void ProxyHandler::answerError(int status, std::string_view extra_lines) {
  done_ = true;
  finish();
  sink_.sendError(status, extra_lines);
}

void ProxyHandler::releaseConnection(bool reusable) {
  if (connection_ == nullptr) {
    return;
  }
  if (server_ != nullptr) {
    pool_->requestEnded(server_);
  }
  UpstreamConnection* c = connection_;
  connection_ = nullptr;
  upstream_paused_ = false;
  if (reusable) {
    c->resumeReading();
  }
  pool_->release(c, reusable);
}

void ProxyHandler::onClientGone() {
  done_ = true;
  releaseConnection(false);
  finish();
}

}  // namespace sluice::proxy
