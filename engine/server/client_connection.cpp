#include "engine/server/client_connection.h"

#include <algorithm>
#include <cstdio>

#include "engine/core/http_date.h"
#include "engine/core/number_format.h"
#include "engine/http/status_text.h"
#include "engine/log/log_budget.h"
#include "engine/log/logger.h"
#include "engine/stats/node_counters.h"

namespace sluice::server {
namespace {

void appendStatusLine(std::string& out, int status) {
  out.append("HTTP/1.1 ");
  core::appendDecimal(out, static_cast<uint64_t>(status));
  out.push_back(' ');
  out.append(http::statusText(status));
  out.append("\r\n");
}

void countError(stats::NodeCounters& c, int status) {
  switch (status) {
    case 400: stats::bump(c.bad_requests); break;
    case 408: stats::bump(c.header_timeout); break;
    case 413: stats::bump(c.body_too_large); break;
    case 414: stats::bump(c.uri_too_long); break;
    case 431: stats::bump(c.header_too_large); break;
    default: break;
  }
}

}  // namespace

ClientConnection::ClientConnection(uv_loop_t* loop, core::Transport* stream, ConnectionOwner& owner,
                                   Dispatcher& dispatcher)
    : loop_(loop),
      stream_(stream),
      timer_(core::Timer::create(loop, [this] { onTimer(); })),
      owner_(owner),
      dispatcher_(dispatcher),
      settings_(owner.connectionSettings()),
      parser_(settings_.parser, this) {
  stream_->setHandler(this);
  context_.client_ip = stream_->peerAddress();
  context_.peer = stream_->peerIp().value_or(core::IpAddress{});
  context_.tls = stream_->tlsSession();
  rate_.configure(settings_.min_request_rate, settings_.min_rate_grace_ms);
  out_.reserve(1024);
}

ClientConnection::~ClientConnection() {
  if (!closed_) {
    // Only reached at process teardown: the loop is going away with the connection.
    closed_ = true;
    timer_->close();
    stream_->close();
  }
}

void ClientConnection::start() {
  stream_->setNoDelay();
  stream_->startReading();
  // Until the first byte, a new connection is idle, but with the (shorter) header timeout.
  timer_mode_ = TimerMode::Idle;
  mode_deadline_ = now() + settings_.header_timeout_ms;
  timer_->start(settings_.header_timeout_ms);
}

void ClientConnection::rejectBusy() {
  keep_alive_ = false;
  static constexpr std::string_view kBusy =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 33\r\n"
      "Retry-After: 1\r\nConnection: close\r\n\r\nserver busy: too many connections\n";
  stream_->write(kBusy.data(), kBusy.size());
  closeGracefully();
}

void ClientConnection::drain() {
  keep_alive_ = false;
  if (closing_ || closed_) {
    return;
  }
  if (!request_active_ && !parser_.started()) {
    // The client cannot know we are leaving: it may have sent its next request already.
    timer_mode_ = TimerMode::Idle;
    timer_->start(std::min(settings_.idle_timeout_ms, kDrainIdleMs));
  }
}

void ClientConnection::onStreamData(const char* data, size_t length) {
  if (closing_) {
    return;  // lingering close: discard what the client still sends
  }
  if (request_active_ && request_complete_) {
    // The next pipelined request arrived while this one is answered: keep it for later. Reading
    // stays on (no epoll change per request) until one read buffer's worth is waiting.
    leftover_.append(data, length);
    if (leftover_.size() >= kMaxPipelined) {
      stream_->stopReading();
    }
    return;
  }
  if (timer_mode_ == TimerMode::Idle) {
    beginHead();
  }
  consume(data, length);
}

void ClientConnection::beginHead() {
  rate_.begin(now());
  armTimer(TimerMode::Header);
}

void ClientConnection::consume(const char* data, size_t length) {
  std::string pending;
  while (true) {
    if (!request_active_) {
      rate_.add(length);  // bytes of a head in progress (a whole head and more count too: it ends here)
    }
    in_feed_ = true;
    const http::RequestParser::Result r = parser_.feed(data, length);
    in_feed_ = false;
    if (closed_ || closing_) {
      return;
    }
    if (r.status == http::RequestParser::Status::Error) {
      failRequest(r.http_status, r.reason);
      return;
    }
    if (r.status == http::RequestParser::Status::NeedMore) {
      if (request_active_ && !request_complete_) {
        if (response_done_) {
          closeGracefully();  // answered before the body ended (e.g. an error): don't read on
          return;
        }
        armTimer(TimerMode::Body);
        if (handler_ && handler_->pendingInput() > kWatermark) {
          pauseInput();
        }
      } else if (!request_active_) {
        scheduleTimer();  // more of the head arrived: its rate deadline moved
      }
      return;
    }
    // Paused: one whole request has been parsed; what follows belongs to the next one.
    std::string rest(data + r.consumed, length - r.consumed);
    pending.swap(rest);
    if (!response_done_) {
      leftover_ = std::move(pending);
      if (leftover_.size() >= kMaxPipelined) {
        stream_->stopReading();
      }
      return;
    }
    if (!finishExchange()) {
      return;
    }
    if (pending.empty() || waiting_drain_) {
      continueAfterExchange(std::move(pending));
      return;
    }
    data = pending.data();
    length = pending.size();
    beginHead();
  }
}

void ClientConnection::reportFinished() {
  dispatcher_.finished(*head_, context_);
  context_.leases.clear();
  head_ = nullptr;
}

bool ClientConnection::finishExchange() {
  if (head_ != nullptr) {
    reportFinished();
  }
  owner_.reaper().retire(std::move(handler_));
  head_ = nullptr;
  request_active_ = false;
  request_complete_ = false;
  response_started_ = false;
  response_done_ = false;
  chunked_out_ = false;
  head_pending_ = false;
  continue_sent_ = false;
  input_paused_ = false;
  if (!keep_alive_ || owner_.draining()) {
    closeGracefully();
    return false;
  }
  settings_ = owner_.connectionSettings();
  parser_.setLimits(settings_.parser);
  rate_.configure(settings_.min_request_rate, settings_.min_rate_grace_ms);
  parser_.resume();
  waiting_drain_ = stream_->queuedBytes() > kWatermark;
  return true;
}

void ClientConnection::continueAfterExchange(std::string pending) {
  if (waiting_drain_) {
    leftover_ = std::move(pending);
    stream_->stopReading();
    armTimer(TimerMode::Send);
    return;
  }
  if (pending.empty()) {
    stream_->startReading();
    armTimer(TimerMode::Idle);
    return;
  }
  stream_->startReading();
  beginHead();
  consume(pending.data(), pending.size());
}

void ClientConnection::onStreamEnd(int status) {
  if (status == UV_EOF && !closing_ && request_active_ && request_complete_ && !response_done_) {
    // The client half-closed after its request: answer it, then close.
    keep_alive_ = false;
    return;
  }
  if (!closing_ && request_active_ && status != UV_EOF) {
    log::debug("client {}: connection error: {}", context_.client_ip, uv_strerror(status));
  }
  closeNow();
}

void ClientConnection::onStreamDrained() {
  if (closed_) {
    return;
  }
  if (closing_) {
    armTimer(TimerMode::Linger);
    return;
  }
  if (timer_mode_ == TimerMode::Send) {
    armTimer(TimerMode::None);
  }
  if (waiting_drain_) {
    waiting_drain_ = false;
    continueAfterExchange(std::move(leftover_));
    return;
  }
  if (handler_ && response_started_ && !response_done_) {
    handler_->onOutputDrained();
  }
}

int ClientConnection::onRequestHead(http::RequestHead& head) {
  ++requests_;
  stats::bump(owner_.counters().requests_total);
  rate_.end();  // the head is complete; a body's rate starts below, once a handler reads it
  head_ = &head;
  request_active_ = true;
  request_complete_ = false;
  response_started_ = false;
  response_done_ = false;
  const std::string client_ip = std::move(context_.client_ip);
  context_.reset();
  context_.client_ip = client_ip;
  context_.start = std::chrono::steady_clock::now();
  keep_alive_ = head.keep_alive && requests_ < settings_.max_requests && !owner_.draining();

  Dispatch d = dispatcher_.dispatch(head, context_, *this);
  if (d.answered) {
    if (head.hasBody()) {
      keep_alive_ = false;
    }
    if (!response_started_) {
      sendError(500);
    }
    return 0;
  }
  if (!d.handler) {
    if (d.error_status == 413) {
      stats::bump(owner_.counters().body_too_large);
    }
    if (head.hasBody()) {
      keep_alive_ = false;  // the body is not read: the connection cannot be reused
    }
    sendError(d.error_status != 0 ? d.error_status : 500);
    return 0;
  }
  if (d.body_limit != 0 && head.has_content_length && head.content_length > d.body_limit) {
    keep_alive_ = false;
    owner_.reaper().retire(std::move(d.handler));
    stats::bump(owner_.counters().body_too_large);
    sendError(413);
    return 0;
  }
  parser_.setBodyLimit(d.body_limit);
  handler_ = std::move(d.handler);
  if (head.expect_continue && head.hasBody()) {
    sendContinue();
  }
  if (head.hasBody()) {
    rate_.begin(now());
  }
  armTimer(head.hasBody() ? TimerMode::Body : TimerMode::None);
  handler_->start();
  return 0;
}

void ClientConnection::onRequestBody(const char* data, size_t length) {
  context_.bytes_in += length;
  rate_.add(length);
  if (handler_ && !response_done_) {
    handler_->onRequestBody(data, length);
  }
}

void ClientConnection::onRequestComplete() {
  request_complete_ = true;
  rate_.end();
  if (timer_mode_ == TimerMode::Body) {
    armTimer(TimerMode::None);
  }
  if (handler_ && !response_done_) {
    handler_->onRequestComplete();
  }
}

bool ClientConnection::bodyless() const {
  const int status = context_.status;
  return (head_ != nullptr && head_->isHead()) || status == 204 || status == 304 || status < 200;
}

void ClientConnection::startResponse(const ResponseStart& start) {
  if (response_started_ || closed_) {
    return;
  }
  response_started_ = true;
  context_.status = start.status;
  const bool no_body = bodyless();
  out_.clear();
  appendStatusLine(out_, start.status);
  if (!start.has_date) {
    out_.append("Date: ").append(core::httpDateNow()).append("\r\n");
  }
  if (start.headers != nullptr) {
    for (const http::HeaderField& h : *start.headers) {
      out_.append(h.name).append(": ").append(h.value).append("\r\n");
    }
  }
  out_.append(start.extra_lines);
  out_.append(context_.response_headers);
  if (!context_.request_id.empty()) {
    out_.append("X-Request-ID: ").append(context_.request_id).append("\r\n");
  }
  const bool http10 = head_ != nullptr && head_->version_minor == 0;
  if (start.has_content_length) {
    if (start.status != 204 && start.status >= 200) {
      out_.append("Content-Length: ");
      core::appendDecimal(out_, start.content_length);
      out_.append("\r\n");
    }
  } else if (!no_body) {
    if (http10) {
      close_delimited_ = true;
      keep_alive_ = false;
    } else {
      chunked_out_ = true;
      out_.append("Transfer-Encoding: chunked\r\n");
    }
  }
  if (!keep_alive_ || owner_.draining()) {
    keep_alive_ = false;
    out_.append("Connection: close\r\n");
  } else if (http10) {
    out_.append("Connection: keep-alive\r\n");
  }
  out_.append("\r\n");
  context_.bytes_out += out_.size();
  // The head goes out with the first body bytes (one write), or at flush()/finishResponse().
  head_pending_ = true;
}

void ClientConnection::flush() {
  if (!head_pending_ || closed_) {
    return;
  }
  head_pending_ = false;
  if (!stream_->write(out_.data(), out_.size())) {
    closeNow();
  }
}

bool ClientConnection::sendBody(const char* data, size_t length) {
  if (closed_ || closing_) {
    return false;
  }
  if (length == 0 || bodyless()) {
    flush();
    return !closed_;
  }
  context_.bytes_out += length;
  core::IoSlice slices[4];
  size_t n = 0;
  if (head_pending_) {
    head_pending_ = false;
    slices[n++] = {out_.data(), out_.size()};
  }
  char size_line[24];
  if (chunked_out_) {
    size_t len = core::formatHex(length, size_line);
    size_line[len++] = '\r';
    size_line[len++] = '\n';
    slices[n++] = {size_line, len};
    slices[n++] = {data, length};
    slices[n++] = {"\r\n", 2};
  } else {
    slices[n++] = {data, length};
  }
  const bool ok = stream_->write(slices, n);
  if (!ok) {
    closeNow();
    return false;
  }
  if (stream_->queuedBytes() > 0 && timer_mode_ == TimerMode::None) {
    armTimer(TimerMode::Send);
  }
  return true;
}

void ClientConnection::finishResponse() {
  if (closed_ || response_done_) {
    return;
  }
  core::IoSlice slices[2];
  size_t n = 0;
  if (head_pending_) {
    head_pending_ = false;
    slices[n++] = {out_.data(), out_.size()};
  }
  if (chunked_out_ && !bodyless()) {
    slices[n++] = {"0\r\n\r\n", 5};
  }
  if (n > 0 && !stream_->write(slices, n)) {
    closeNow();
    return;
  }
  response_done_ = true;
  if (in_feed_) {
    return;  // consume() picks it up when the parser returns
  }
  if (!request_complete_) {
    closeGracefully();
    return;
  }
  if (!finishExchange()) {
    return;
  }
  continueAfterExchange(std::move(leftover_));
}

void ClientConnection::resumeRequestBody() {
  if (input_paused_ && !closing_ && !closed_) {
    input_paused_ = false;
    rate_.resume(now());
    stream_->startReading();
    scheduleTimer();  // the rate deadline, off while paused, is back
  }
}

void ClientConnection::pauseInput() {
  stream_->stopReading();
  input_paused_ = true;
  // The node, not the client, stops the body here (the handler has enough queued): not held
  // against the client's rate.
  rate_.pause(now());
}

void ClientConnection::sendContinue() {
  if (continue_sent_ || response_started_ || head_ == nullptr || !head_->expect_continue) {
    return;
  }
  continue_sent_ = true;
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  stream_->write(kContinue.data(), kContinue.size());
}

void ClientConnection::sendError(int status, std::string_view extra_lines) {
  if (response_started_) {
    closeNow();
    return;
  }
  if (status == 400 || status == 408 || status == 413 || status == 414 || status == 431 || status == 417) {
    keep_alive_ = false;
  }
  char body[96];
  const std::string_view text = http::statusText(status);
  int n = std::snprintf(body, sizeof(body), "%d %.*s\n", status, static_cast<int>(text.size()), text.data());
  std::string lines = "Content-Type: text/plain; charset=utf-8\r\n";
  lines.append(extra_lines);
  ResponseStart start;
  start.status = status;
  start.extra_lines = lines;
  start.has_content_length = true;
  start.content_length = static_cast<uint64_t>(n);
  startResponse(start);
  sendBody(body, static_cast<size_t>(n));
  finishResponse();
}

void ClientConnection::failRequest(int status, const char* reason) {
  countError(owner_.counters(), status);
  refuseRequest(status, reason);
}

void ClientConnection::refuseRequest(int status, const char* reason) {
  log::debug("client {}: {} ({})", context_.client_ip, status, reason);
  keep_alive_ = false;
  if (handler_) {
    handler_->onClientGone();
    owner_.reaper().retire(std::move(handler_));
  }
  if (response_started_) {
    closeNow();
    return;
  }
  if (!request_active_) {
    // Failed before a head was complete: answer outside of any request context.
    const std::string client_ip = std::move(context_.client_ip);
    context_.reset();
    context_.client_ip = client_ip;
  }
  request_complete_ = true;  // nothing more is read for this request
  in_feed_ = true;           // keep finishResponse from starting another exchange
  sendError(status);
  in_feed_ = false;
  if (head_ != nullptr) {
    reportFinished();
  }
  request_active_ = false;
  closeGracefully();
}

void ClientConnection::closeGracefully() {
  if (closing_ || closed_) {
    return;
  }
  closing_ = true;
  if (handler_) {
    handler_->onClientGone();
    owner_.reaper().retire(std::move(handler_));
  }
  // Keep reading (and discarding) so the client sees our answer instead of a reset, then close on
  // its FIN or after kLingerMs.
  stream_->startReading();
  stream_->shutdownWrite();
  armTimer(stream_->queuedBytes() > 0 ? TimerMode::Send : TimerMode::Linger);
}

void ClientConnection::closeNow() {
  if (closed_) {
    return;
  }
  closed_ = true;
  if (request_active_ && head_ != nullptr) {
    reportFinished();  // logged as aborted unless a status was sent
  }
  connection_lease_.release();
  if (handler_) {
    handler_->onClientGone();
    owner_.reaper().retire(std::move(handler_));
  }
  timer_->close();
  stream_->close();
  owner_.connectionClosed(this);
}

void ClientConnection::abortBody() {
  rate_.end();
  if (response_started_) {
    closeNow();
    return;
  }
  keep_alive_ = false;
  if (handler_) {
    handler_->onClientGone();  // e.g. aborts the upstream request the body was streaming into
    owner_.reaper().retire(std::move(handler_));
  }
  request_complete_ = true;
  in_feed_ = true;
  sendError(408);
  in_feed_ = false;
  closeGracefully();
}

void ClientConnection::onTooSlow(bool body) {
  stats::NodeCounters& counters = owner_.counters();
  stats::bump(body ? counters.slow_body : counters.slow_head);
  // A client can cause this at will (and an attack does, by the thousand): within the owner's budget.
  log::LogBudget* budget = owner_.clientLogBudget();
  const log::Level level = budget != nullptr ? log::Level::Info : log::Level::Debug;
  if (log::enabled(level) && (budget == nullptr || budget->take())) {
    const uint64_t elapsed = rate_.elapsedMs(now());
    log::write(level, fmt::format("client {}: request {} too slow: {} bytes in {}.{:01} s, below "
                                  "limits.min_request_rate ({} B/s): 408 and close",
                                  context_.client_ip, body ? "body" : "head", rate_.bytes(), elapsed / 1000,
                                  elapsed % 1000 / 100, rate_.rate()));
  }
  rate_.end();
  if (body) {
    abortBody();
  } else {
    refuseRequest(408, "request head below min_request_rate");
  }
}

void ClientConnection::armTimer(TimerMode mode) {
  timer_mode_ = mode;
  uint64_t timeout_ms = 0;
  switch (mode) {
    case TimerMode::None: return;  // a pending expiry is ignored in onTimer
    case TimerMode::Idle: timeout_ms = settings_.idle_timeout_ms; break;
    case TimerMode::Header: timeout_ms = settings_.header_timeout_ms; break;
    case TimerMode::Body: timeout_ms = settings_.body_timeout_ms; break;
    case TimerMode::Send: timeout_ms = settings_.send_timeout_ms; break;
    case TimerMode::Linger: timeout_ms = kLingerMs; break;
  }
  mode_deadline_ = now() + timeout_ms;
  scheduleTimer();
}

void ClientConnection::scheduleTimer() {
  if (timer_mode_ == TimerMode::None || closed_) {
    return;
  }
  uint64_t due = mode_deadline_;
  if (timer_mode_ == TimerMode::Header || timer_mode_ == TimerMode::Body) {
    due = std::min(due, rate_.deadline());
  }
  const uint64_t t = now();
  // Deadlines move lazily (Timer::setDeadline): no timer-heap work on most requests or reads.
  timer_->setDeadline(due > t ? due - t : 0);
}

void ClientConnection::onTimer() {
  const uint64_t t = now();
  switch (timer_mode_) {
    case TimerMode::Idle:
      if (requests_ > 0) {
        stats::bump(owner_.counters().idle_timeout_closes);
      }
      closeNow();
      break;
    case TimerMode::Header:
      if (t >= rate_.deadline()) {
        onTooSlow(false);
      } else if (t >= mode_deadline_) {
        failRequest(408, "timed out reading the request head");
      } else {
        scheduleTimer();  // fired for a rate deadline that has moved (or paused) since
      }
      break;
    case TimerMode::Body:
      if (t >= rate_.deadline()) {
        onTooSlow(true);
      } else if (t >= mode_deadline_) {
        stats::bump(owner_.counters().body_timeout);
        abortBody();
      } else {
        scheduleTimer();
      }
      break;
    case TimerMode::Send:
    case TimerMode::Linger:
      closeNow();
      break;
    case TimerMode::None:
      break;
  }
}

}  // namespace sluice::server
