#include "engine/proxy/proxy_handler.h"

#include <cstdio>

#include "engine/core/number_format.h"
#include "engine/http/hop_by_hop.h"
#include "engine/log/logger.h"
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
                           server::ResponseSink& sink, stats::NodeCounters& counters)
    : pool_(std::move(pool)), head_(head), context_(context), sink_(sink), counters_(counters) {}

ProxyHandler::~ProxyHandler() {
  if (connection_ != nullptr) {
    releaseConnection(false);
  }
}

void ProxyHandler::start() {
  buildRequestHead();
  attempt();
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
  ++attempts_;
  server_ = pool_->pick(failed_server_, context_.client_ip);
  if (server_ == nullptr) {
    // Drained servers are out on purpose (503, like a node that is draining); a retry after a
    // failure, or servers that are all down, is a gateway error (502).
    // The drained case is what the operator asked for: logged at debug, not once per request.
    const bool drained = failed_server_ == nullptr && pool_->unavailableByDrain();
    if (drained) {
      log::debug("upstream {}: every server is drained; 503 for {} {}", pool_->config().name, head_.method,
                 head_.path);
    } else {
      log::warn("upstream {}: no live server for {} {}", pool_->config().name, head_.method, head_.path);
    }
    stats::bump(counters_.upstream_errors);
    answerError(drained ? 503 : 502);
    return;
  }
  context_.upstream_server = server_->name;
  pool_->requestStarted(server_);
  stats::bump(server_->stats->requests);
  sent_ = false;
  connection_ = pool_->takeIdle(server_);
  reused_ = connection_ != nullptr;
  if (reused_) {
    sendRequest();
  } else {
    connection_ = pool_->connect(server_, this);
  }
}

void ProxyHandler::onUpstreamConnected() { sendRequest(); }

void ProxyHandler::sendRequest() {
  connection_->begin(this, head_.isHead(), static_cast<uint64_t>(pool_->config().response_timeout.count()));
  sent_ = true;
  core::IoSlice slices[2] = {{request_head_.data(), request_head_.size()},
                             {pending_body_.data(), pending_body_.size()}};
  if (!pending_body_.empty()) {
    body_bytes_sent_ = true;
  }
  connection_->send(slices, 2);
  pending_body_.clear();
  sink_.resumeRequestBody();
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
  if (done_ || !head_.chunked) {
    return;
  }
  if (sent_ && connection_ != nullptr) {
    connection_->send("0\r\n\r\n", 5);
  } else {
    pending_body_.append("0\r\n\r\n");
  }
}

size_t ProxyHandler::pendingInput() const {
  return pending_body_.size() + (connection_ != nullptr ? connection_->queuedBytes() : 0);
}

void ProxyHandler::onUpstreamDrained() { sink_.resumeRequestBody(); }

void ProxyHandler::onUpstreamReadEnd() {
  if (response_started_ && !done_) {
    sink_.flush();
  }
}

void ProxyHandler::onUpstreamResponseHead(http::ResponseHead& head) {
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
  // A connection whose request body was not fully sent cannot carry another request.
  releaseConnection(reusable && request_complete_ && pending_body_.empty());
  done_ = true;
  sink_.finishResponse();
}

void ProxyHandler::onUpstreamFailure(UpstreamFailure failure, bool response_bytes, const char* detail) {
  const bool idempotent = head_.isIdempotent();
  const bool reused_race = reused_ && !response_bytes && failure == UpstreamFailure::Reset;
  releaseConnection(false);
  if (reused_race && idempotent && !head_.hasBody() && !retried_reused_) {
    // The server closed an idle keep-alive connection as we reused it: not the server's fault.
    retried_reused_ = true;
    stats::bump(counters_.upstream_retries);
    --attempts_;
    attempt();
    return;
  }
  const bool connect_failure =
      failure == UpstreamFailure::ConnectFailed || failure == UpstreamFailure::ConnectTimeout;
  if (connect_failure) {
    stats::bump(counters_.upstream_connect_failures);
  } else if (failure == UpstreamFailure::ResponseTimeout) {
    stats::bump(counters_.upstream_timeouts);
  } else {
    stats::bump(counters_.upstream_errors);
  }
  log::warn("upstream {}: {} {} via {} failed: {}", pool_->config().name, head_.method, head_.path,
            server_ != nullptr ? server_->name : "-", detail);
  if (server_ != nullptr) {
    pool_->reportFailure(server_, detail);
  }
  if (connect_failure && idempotent && !body_bytes_sent_ && attempts_ < 2 && pool_->serverCount() > 1) {
    failed_server_ = server_;
    stats::bump(counters_.upstream_retries);
    attempt();
    return;
  }
  if (response_started_) {
    done_ = true;
    sink_.sendError(502);  // closes the client connection: the response is cut short
    return;
  }
  answerError(failure == UpstreamFailure::ResponseTimeout || failure == UpstreamFailure::ConnectTimeout ? 504
                                                                                                          : 502);
}

void ProxyHandler::answerError(int status) {
  done_ = true;
  sink_.sendError(status, "Via: 1.1 sluice\r\n");
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
}

}  // namespace sluice::proxy
