#include "tests/support/test_origin/origin_connection.h"

#include <strings.h>

#include <algorithm>
#include <cstring>

#include "tests/support/test_origin/origin_server.h"

namespace sluice::test_origin {
namespace {

constexpr size_t kInboxLimit = 1024 * 1024;
constexpr size_t kPlainSlice = 256 * 1024;
constexpr size_t kChunkSlice = 16 * 1024;

// 'a'..'z' repeated, long enough that any slice can start at any phase of the pattern.
const std::string& patternBuffer() {
  static const std::string buffer = [] {
    std::string text(kPlainSlice + 26, '\0');
    for (size_t i = 0; i < text.size(); ++i) {
      text[i] = patternByte(i);
    }
    return text;
  }();
  return buffer;
}

OriginConnection* self(llhttp_t* parser) {
  return static_cast<OriginConnection*>(parser->data);
}

}  // namespace

struct OriginConnection::WriteRequest {
  uv_write_t req;
  OriginConnection* connection;
  After after;
  std::string owned;   // head, or a whole fixed response
  std::string prefix;  // chunk size line
  std::string suffix;  // chunk CRLF
};

OriginConnection::OriginConnection(OriginServer& server) : server_(server) {
  uv_tcp_init(server_.loop(), &tcp_);
  uv_timer_init(server_.loop(), &timer_);
  tcp_.data = this;
  timer_.data = this;
  open_handles_ = 2;
  llhttp_init(&parser_, HTTP_REQUEST, parserSettings());
  parser_.data = this;
}

void OriginConnection::accept(uv_stream_t* listener) {
  if (uv_accept(listener, reinterpret_cast<uv_stream_t*>(&tcp_)) != 0) {
    close();
    return;
  }
  uv_tcp_nodelay(&tcp_, 1);
  reading_ = uv_read_start(reinterpret_cast<uv_stream_t*>(&tcp_), &onAlloc, &onRead) == 0;
  if (!reading_) {
    close();
  }
}

void OriginConnection::dropIfIdle() {
  if (!busy_) {
    close();
  }
}

const llhttp_settings_t* OriginConnection::parserSettings() {
  static const llhttp_settings_t settings = [] {
    llhttp_settings_t s;
    llhttp_settings_init(&s);
    s.on_message_begin = &onMessageBegin;
    s.on_url = &onUrl;
    s.on_header_field = &onHeaderField;
    s.on_header_value = &onHeaderValue;
    s.on_header_value_complete = &onHeaderValueComplete;
    s.on_headers_complete = &onHeadersComplete;
    s.on_body = &onBody;
    s.on_message_complete = &onMessageComplete;
    return s;
  }();
  return &settings;
}

void OriginConnection::onAlloc(uv_handle_t* handle, size_t, uv_buf_t* buf) {
  auto* conn = static_cast<OriginConnection*>(handle->data);
  *buf = uv_buf_init(conn->read_buffer_.data(), conn->read_buffer_.size());
}

void OriginConnection::onRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  auto* conn = static_cast<OriginConnection*>(stream->data);
  if (conn->closing_ || nread == 0) {
    return;
  }
  if (nread < 0) {
    if (nread != UV_EOF || !conn->busy_ || conn->plan_kind_ == PlanKind::Hang ||
        conn->plan_kind_ == PlanKind::StallBody) {
      conn->close();
      return;
    }
    // Half-closed while answering: finish this response (and any complete pipelined ones), then close.
    conn->peer_eof_ = true;
    uv_read_stop(stream);
    conn->reading_ = false;
    return;
  }
  if (conn->busy_ || !conn->inbox_.empty()) {
    if (!conn->close_after_response_) {
      conn->inbox_.append(buf->base, nread);
    }
    if (conn->inbox_.size() > kInboxLimit) {
      uv_read_stop(stream);
      conn->reading_ = false;
    }
    return;
  }
  conn->feed(buf->base, nread);
}

void OriginConnection::feed(const char* data, size_t length) {
  const llhttp_errno_t err = llhttp_execute(&parser_, data, length);
  if (closing_) {
    return;
  }
  if (err == HPE_OK) {
    return;
  }
  if (err == HPE_PAUSED) {
    const char* pos = llhttp_get_error_pos(&parser_);
    if (pos != nullptr && pos >= data && pos < data + length && !close_after_response_) {
      inbox_.append(pos, data + length - pos);
    }
    return;
  }
  // Malformed request: answer 400 unless a response is already under way, then close.
  if (!busy_) {
    busy_ = true;
    close_after_response_ = true;
    plan_kind_ = PlanKind::Fixed;
    const std::string body = std::string("bad request: ") + llhttp_errno_name(err) + "\n";
    write(responseHead(400, server_.id(), "text/plain", body.size(), false, true) + body,
          After::FinishResponse);
  }
}

void OriginConnection::drainInbox() {
  std::string pending = std::move(inbox_);
  inbox_.clear();
  if (!pending.empty()) {
    feed(pending.data(), pending.size());
  }
}

int OriginConnection::onMessageBegin(llhttp_t* parser) {
  OriginConnection* conn = self(parser);
  conn->request_ = Request();
  conn->field_.clear();
  conn->value_.clear();
  conn->hashing_ = false;
  return 0;
}

int OriginConnection::onUrl(llhttp_t* parser, const char* at, size_t length) {
  self(parser)->request_.target.append(at, length);
  return 0;
}

int OriginConnection::onHeaderField(llhttp_t* parser, const char* at, size_t length) {
  self(parser)->field_.append(at, length);
  return 0;
}

int OriginConnection::onHeaderValue(llhttp_t* parser, const char* at, size_t length) {
  self(parser)->value_.append(at, length);
  return 0;
}

int OriginConnection::onHeaderValueComplete(llhttp_t* parser) {
  OriginConnection* conn = self(parser);
  conn->request_.headers.emplace_back(std::move(conn->field_), std::move(conn->value_));
  conn->field_.clear();
  conn->value_.clear();
  return 0;
}

int OriginConnection::onHeadersComplete(llhttp_t* parser) {
  OriginConnection* conn = self(parser);
  Request& request = conn->request_;
  request.method = llhttp_method_name(static_cast<llhttp_method_t>(llhttp_get_method(parser)));
  request.http_major = llhttp_get_http_major(parser);
  request.http_minor = llhttp_get_http_minor(parser);
  const size_t question = request.target.find('?');
  request.path = request.target.substr(0, question);
  request.query = question == std::string::npos ? std::string() : request.target.substr(question + 1);
  if (request.path != "/stats") {
    ++conn->server_.stats().requests;  // /stats is the tests' probe: it must not move the count
  }
  if (wantsBodyHash(request.path)) {
    conn->hashing_ = true;
    conn->sha_.reset();
  }
  const auto expect = request.header("Expect");
  if (expect && strcasecmp(expect->c_str(), "100-continue") == 0 && request.http_minor >= 1) {
    conn->write("HTTP/1.1 100 Continue\r\n\r\n", After::Nothing);
  }
  return 0;
}

int OriginConnection::onBody(llhttp_t* parser, const char* at, size_t length) {
  OriginConnection* conn = self(parser);
  conn->request_.body_bytes += length;
  if (conn->hashing_) {
    conn->sha_.update(std::string_view(at, length));
  }
  return 0;
}

int OriginConnection::onMessageComplete(llhttp_t* parser) {
  OriginConnection* conn = self(parser);
  if (conn->hashing_) {
    conn->request_.body_sha256 = conn->sha_.finishHex();
  }
  conn->close_after_response_ = llhttp_should_keep_alive(parser) == 0;
  conn->startResponse();
  return HPE_PAUSED;
}

void OriginConnection::startResponse() {
  busy_ = true;
  if (server_.refusing()) {
    // An outage: requests on connections opened before it fail like the new connections do.
    reset();
    return;
  }
  const ResponsePlan plan = planResponse(request_, server_.stats(), server_.state(), server_.id());
  plan_kind_ = plan.kind;
  switch (plan.kind) {
    case PlanKind::Fixed:
      sendFixed(plan);
      break;
    case PlanKind::Generated:
      sendGenerated(plan);
      break;
    case PlanKind::Delay:
      delayed_ = plan;
      uv_timer_start(&timer_, &onTimer, plan.delay_ms, 0);
      break;
    case PlanKind::Close:
      close();
      break;
    case PlanKind::Hang:
      break;
    case PlanKind::Reset:
      reset();
      break;
    case PlanKind::ResetAfter: {
      // Announce more than is sent, so the peer sees a response cut short by the reset.
      std::string data = responseHead(200, server_.id(), "application/octet-stream", plan.size * 2 + 16, false,
                                      false, plan.headers);
      for (uint64_t i = 0; i < plan.size; ++i) {
        data.push_back(patternByte(i));
      }
      write(std::move(data), After::Reset);
      break;
    }
    case PlanKind::StallBody:
      write(responseHead(200, server_.id(), "application/octet-stream", plan.size, false, false, plan.headers),
            After::Nothing);
      break;
    case PlanKind::Slow:
      body_remaining_ = request_.isHead() ? 0 : plan.size;
      body_offset_ = 0;
      slow_slice_ = plan.slice;
      slow_interval_ = plan.delay_ms;
      write(responseHead(200, server_.id(), "application/octet-stream", plan.size, false, close_after_response_,
                         plan.headers),
            body_remaining_ == 0 ? After::FinishResponse : After::Nothing);
      if (body_remaining_ > 0) {
        uv_timer_start(&timer_, &onTimer, slow_interval_, 0);
      }
      break;
  }
  if (server_.state().outage) {
    server_.startOutage();
  }
}

void OriginConnection::sendSlowSlice() {
  const uint64_t n = std::min(body_remaining_, slow_slice_);
  std::string data;
  for (uint64_t i = 0; i < n; ++i) {
    data.push_back(patternByte(body_offset_ + i));
  }
  body_remaining_ -= n;
  body_offset_ += n;
  if (body_remaining_ == 0) {
    write(std::move(data), After::FinishResponse);
    return;
  }
  write(std::move(data), After::Nothing);
  uv_timer_start(&timer_, &onTimer, slow_interval_, 0);
}

void OriginConnection::onTimer(uv_timer_t* timer) {
  auto* conn = static_cast<OriginConnection*>(timer->data);
  if (conn->closing_) {
    return;
  }
  if (conn->plan_kind_ == PlanKind::Slow) {
    conn->sendSlowSlice();
    return;
  }
  conn->sendFixed(conn->delayed_);
}

void OriginConnection::sendFixed(const ResponsePlan& plan) {
  if (plan.bodiless) {
    write(responseHead(plan.status, server_.id(), "", std::nullopt, false, close_after_response_, plan.headers),
          After::FinishResponse);
    return;
  }
  std::string data = responseHead(plan.status, server_.id(), plan.content_type, plan.body.size(), false,
                                  close_after_response_, plan.headers);
  if (!request_.isHead()) {
    data += plan.body;
  }
  write(std::move(data), After::FinishResponse);
}

void OriginConnection::sendGenerated(const ResponsePlan& plan) {
  body_remaining_ = request_.isHead() ? 0 : plan.size;
  body_offset_ = 0;
  // HTTP/1.0 has no chunked encoding: such a client gets Content-Length.
  body_chunked_ = plan.chunked && (request_.http_major > 1 || request_.http_minor >= 1);
  std::string head = responseHead(plan.status, server_.id(), plan.content_type, plan.size, body_chunked_,
                                  close_after_response_, plan.headers);
  if (request_.isHead()) {
    write(std::move(head), After::FinishResponse);
    return;
  }
  write(std::move(head), After::Nothing);
  pumpBody();
}

void OriginConnection::pumpBody() {
  if (body_remaining_ == 0) {
    if (body_chunked_) {
      write("0\r\n\r\n", After::FinishResponse);
    } else {
      finishResponse();
    }
    return;
  }
  const size_t slice = std::min<uint64_t>(body_remaining_, body_chunked_ ? kChunkSlice : kPlainSlice);
  const char* data = patternBuffer().data() + body_offset_ % 26;
  body_remaining_ -= slice;
  body_offset_ += slice;
  if (body_chunked_) {
    char size_line[32];
    std::snprintf(size_line, sizeof(size_line), "%zx\r\n", slice);
    writeSlice(data, slice, size_line, "\r\n");
  } else {
    writeSlice(data, slice, "", "");
  }
}

void OriginConnection::finishResponse() {
  busy_ = false;
  plan_kind_ = PlanKind::Fixed;
  if (close_after_response_ || server_.refusing()) {
    closeAfterFlush();
    return;
  }
  llhttp_resume(&parser_);
  drainInbox();
  if (closing_ || busy_) {
    return;
  }
  if (peer_eof_) {
    closeAfterFlush();
    return;
  }
  if (!reading_) {
    reading_ = uv_read_start(reinterpret_cast<uv_stream_t*>(&tcp_), &onAlloc, &onRead) == 0;
  }
}

void OriginConnection::write(std::string owned, After after) {
  auto* req = new WriteRequest{{}, this, after, std::move(owned), {}, {}};
  req->req.data = req;
  uv_buf_t buf = uv_buf_init(req->owned.data(), req->owned.size());
  if (uv_write(&req->req, reinterpret_cast<uv_stream_t*>(&tcp_), &buf, 1, &onWritten) != 0) {
    delete req;
    close();
  }
}

void OriginConnection::writeSlice(const char* data, size_t length, std::string prefix, std::string suffix) {
  auto* req = new WriteRequest{{}, this, After::PumpBody, {}, std::move(prefix), std::move(suffix)};
  req->req.data = req;
  uv_buf_t bufs[3];
  unsigned count = 0;
  if (!req->prefix.empty()) {
    bufs[count++] = uv_buf_init(req->prefix.data(), req->prefix.size());
  }
  // The pattern buffer is static and never written: libuv only reads from it.
  bufs[count++] = uv_buf_init(const_cast<char*>(data), length);
  if (!req->suffix.empty()) {
    bufs[count++] = uv_buf_init(req->suffix.data(), req->suffix.size());
  }
  if (uv_write(&req->req, reinterpret_cast<uv_stream_t*>(&tcp_), bufs, count, &onWritten) != 0) {
    delete req;
    close();
  }
}

void OriginConnection::onWritten(uv_write_t* uv_req, int status) {
  auto* req = static_cast<WriteRequest*>(uv_req->data);
  OriginConnection* conn = req->connection;
  const After after = req->after;
  delete req;
  if (conn->closing_) {
    return;
  }
  if (status < 0) {
    conn->close();
    return;
  }
  if (after == After::PumpBody) {
    conn->pumpBody();
  } else if (after == After::FinishResponse) {
    conn->finishResponse();
  } else if (after == After::Reset) {
    conn->reset();
  }
}

void OriginConnection::closeAfterFlush() {
  if (closing_) {
    return;
  }
  auto* req = new uv_shutdown_t;
  req->data = this;
  if (uv_shutdown(req, reinterpret_cast<uv_stream_t*>(&tcp_), &onShutdown) != 0) {
    delete req;
    close();
  }
}

void OriginConnection::onShutdown(uv_shutdown_t* req, int) {
  auto* conn = static_cast<OriginConnection*>(req->data);
  delete req;
  conn->close();
}

void OriginConnection::close() {
  if (closing_) {
    return;
  }
  closing_ = true;
  uv_timer_stop(&timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), &onClosed);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), &onClosed);
}

void OriginConnection::reset() {
  if (closing_) {
    return;
  }
  closing_ = true;
  uv_timer_stop(&timer_);
  if (uv_tcp_close_reset(&tcp_, &onClosed) != 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), &onClosed);
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), &onClosed);
}

void OriginConnection::onClosed(uv_handle_t* handle) {
  auto* conn = static_cast<OriginConnection*>(handle->data);
  if (--conn->open_handles_ == 0) {
    conn->server_.remove(conn);  // frees conn
  }
}

}  // namespace sluice::test_origin
