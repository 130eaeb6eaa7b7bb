#include "engine/http/request_parser.h"

#include "engine/http/target_parts.h"

namespace sluice::http {
namespace {

RequestParser* self(llhttp_t* p) { return static_cast<RequestParser*>(p->data); }

// A Transfer-Encoding other than exactly "chunked" is refused: Sluice does not decode other
// transfer-codings, and a list such as "gzip, chunked" is a classic disagreement point between hops.
bool transferEncodingIsPlainChunked(const HeaderList& headers) {
  int seen = 0;
  for (const HeaderField& h : headers) {
    if (equalsIgnoreCase(h.name, "transfer-encoding")) {
      ++seen;
      if (!equalsIgnoreCase(h.value, "chunked")) {
        return false;
      }
    }
  }
  return seen <= 1;
}

}  // namespace

RequestParser::RequestParser(const ParserLimits& limits, RequestListener* listener)
    : limits_(limits), listener_(listener) {
  llhttp_settings_init(&settings_);
  settings_.on_message_begin = &RequestParser::onMessageBegin;
  settings_.on_url = &RequestParser::onUrl;
  settings_.on_header_field = &RequestParser::onHeaderField;
  settings_.on_header_field_complete = &RequestParser::onHeaderFieldComplete;
  settings_.on_header_value = &RequestParser::onHeaderValue;
  settings_.on_header_value_complete = &RequestParser::onHeaderValueComplete;
  settings_.on_headers_complete = &RequestParser::onHeadersComplete;
  settings_.on_body = &RequestParser::onBody;
  settings_.on_message_complete = &RequestParser::onMessageComplete;
  settings_.on_chunk_header = &RequestParser::onChunkHeader;
  llhttp_init(&parser_, HTTP_REQUEST, &settings_);
  parser_.data = this;
}

RequestParser::Result RequestParser::feed(const char* data, size_t length) {
  Result result;
  if (error_status_ != 0) {
    result.status = Status::Error;
    result.http_status = error_status_;
    result.reason = error_reason_;
    return result;
  }
  if (scanner_.active()) {
    size_t end = 0;
    switch (scanner_.scan(data, length, end)) {
      case HeadScanner::Result::BareLf:
        fail(400, "bare LF line ending");
        return feed(data, 0);
      case HeadScanner::Result::ObsFold:
        fail(400, "obs-fold header continuation");
        return feed(data, 0);
      case HeadScanner::Result::BareCr:
        fail(400, "bare CR in the request head");
        return feed(data, 0);
      case HeadScanner::Result::SpaceBeforeColon:
        fail(400, "whitespace between a header name and its colon");
        return feed(data, 0);
      case HeadScanner::Result::NeedMore:
      case HeadScanner::Result::HeadEnd:
        break;
    }
  }
  if (!chunks_.beginBuffer(data, length)) {
    fail(400, "chunk data not followed by CRLF");
    return feed(data, 0);
  }
  llhttp_errno_t err = llhttp_execute(&parser_, data, length);
  while (err == HPE_PAUSED_UPGRADE && !completed_) {
    // After a request that asked for an Upgrade (which Sluice does not perform: the header is
    // hop-by-hop and dropped), llhttp stops before the next request: go on as plain HTTP.
    const char* at = llhttp_get_error_pos(&parser_);
    llhttp_resume_after_upgrade(&parser_);
    err = llhttp_execute(&parser_, at, static_cast<size_t>(data + length - at));
  }
  if (err == HPE_OK) {
    result.consumed = length;
    return result;
  }
  if (err == HPE_PAUSED || err == HPE_PAUSED_UPGRADE) {
    result.status = Status::Paused;
    result.consumed = static_cast<size_t>(llhttp_get_error_pos(&parser_) - data);
    return result;
  }
  if (error_status_ == 0) {
    error_status_ = 400;
    error_reason_ = llhttp_get_error_reason(&parser_);
    if (error_reason_ == nullptr) {
      error_reason_ = llhttp_errno_name(err);
    }
  }
  result.status = Status::Error;
  result.http_status = error_status_;
  result.reason = error_reason_;
  return result;
}

void RequestParser::resume() {
  if (llhttp_get_errno(&parser_) == HPE_PAUSED_UPGRADE) {
    llhttp_resume_after_upgrade(&parser_);
  } else {
    llhttp_resume(&parser_);
  }
  scanner_.reset();
  in_head_ = true;
  message_started_ = false;
  completed_ = false;
}

int RequestParser::fail(int status, const char* reason) {
  if (error_status_ == 0) {
    error_status_ = status;
    error_reason_ = reason;
  }
  return -1;
}

int RequestParser::onMessageBegin(llhttp_t* p) {
  RequestParser* s = self(p);
  s->head_buffer_.reset();
  s->body_limit_ = 0;
  s->body_seen_ = 0;
  s->in_head_ = true;
  s->message_started_ = true;
  s->chunks_.reset();
  return 0;
}

int RequestParser::onChunkHeader(llhttp_t* p) {
  self(p)->chunks_.onChunkHeader(p->content_length);
  return 0;
}

int RequestParser::onUrl(llhttp_t* p, const char* at, size_t length) {
  RequestParser* s = self(p);
  s->message_started_ = true;
  if (s->head_buffer_.startTokenLength() + length > s->limits_.max_uri_size) {
    return s->fail(414, "request-target too long");
  }
  s->head_buffer_.appendStartToken(at, length);
  return 0;
}

int RequestParser::onHeaderField(llhttp_t* p, const char* at, size_t length) {
  RequestParser* s = self(p);
  if (!s->in_head_) {
    return 0;  // a trailer field: dropped (the head's views must stay valid)
  }
  s->head_buffer_.appendField(at, length);
  if (s->head_buffer_.size() > s->limits_.max_header_size) {
    return s->fail(431, "request head too large");
  }
  if (s->head_buffer_.headerCount() > s->limits_.max_headers) {
    return s->fail(431, "too many header fields");
  }
  return 0;
}

int RequestParser::onHeaderFieldComplete(llhttp_t* p) {
  if (!self(p)->in_head_) {
    return 0;
  }
  self(p)->head_buffer_.finishField();
  return 0;
}

int RequestParser::onHeaderValue(llhttp_t* p, const char* at, size_t length) {
  RequestParser* s = self(p);
  if (!s->in_head_) {
    return 0;
  }
  s->head_buffer_.appendValue(at, length);
  if (s->head_buffer_.size() > s->limits_.max_header_size) {
    return s->fail(431, "request head too large");
  }
  return 0;
}

int RequestParser::onHeaderValueComplete(llhttp_t* p) {
  if (!self(p)->in_head_) {
    return 0;
  }
  self(p)->head_buffer_.finishValue();
  return 0;
}

int RequestParser::onHeadersComplete(llhttp_t* p) {
  RequestParser* s = self(p);
  int rc = s->finishHead();
  if (rc != 0) {
    return s->fail(rc, s->error_reason_[0] != '\0' ? s->error_reason_ : "request refused");
  }
  return 0;
}

int RequestParser::finishHead() {
  RequestHead& h = head_;
  h.method = llhttp_method_name(static_cast<llhttp_method_t>(parser_.method));
  h.method_id = parser_.method;
  h.target = head_buffer_.startToken();
  h.version_major = parser_.http_major;
  h.version_minor = parser_.http_minor;
  head_buffer_.fillHeaders(h.headers);
  in_head_ = false;

  if (h.method_id == HTTP_CONNECT) {
    error_reason_ = "CONNECT is not supported";
    return 405;
  }
  TargetParts parts;
  if (!splitTarget(h.target, parts)) {
    error_reason_ = "malformed request-target";
    return 400;
  }
  h.path = parts.path;
  h.query = parts.query;
  h.host = parts.authority;
  int host_headers = 0;
  h.expect_continue = false;
  for (const HeaderField& f : h.headers) {
    if (equalsIgnoreCase(f.name, "host")) {
      ++host_headers;
      if (parts.authority.empty()) {
        h.host = f.value;
      }
    } else if (equalsIgnoreCase(f.name, "expect")) {
      if (!equalsIgnoreCase(f.value, "100-continue")) {
        error_reason_ = "unsupported expectation";
        return 417;
      }
      h.expect_continue = true;
    }
  }
  if (host_headers > 1) {
    error_reason_ = "more than one Host header";
    return 400;
  }
  if (host_headers == 0 && h.version_minor >= 1 && parts.authority.empty()) {
    error_reason_ = "HTTP/1.1 request without Host";
    return 400;
  }
  h.chunked = (parser_.flags & F_CHUNKED) != 0;
  const bool has_te = (parser_.flags & F_TRANSFER_ENCODING) != 0;
  if (has_te) {
    if (h.version_major == 1 && h.version_minor == 0) {
      error_reason_ = "Transfer-Encoding in an HTTP/1.0 request";
      return 400;
    }
    if (!transferEncodingIsPlainChunked(h.headers)) {
      error_reason_ = "unsupported Transfer-Encoding";
      return 400;
    }
  }
  h.has_content_length = (parser_.flags & F_CONTENT_LENGTH) != 0;
  h.content_length = h.has_content_length ? parser_.content_length : 0;
  h.keep_alive = llhttp_should_keep_alive(&parser_) != 0;
  return listener_->onRequestHead(h);
}

int RequestParser::onBody(llhttp_t* p, const char* at, size_t length) {
  RequestParser* s = self(p);
  if (s->head_.chunked && !s->chunks_.onBody(at, length)) {
    return s->fail(400, "chunk data not followed by CRLF");
  }
  s->body_seen_ += length;
  if (s->body_limit_ != 0 && s->body_seen_ > s->body_limit_) {
    return s->fail(413, "request body over the route's limit");
  }
  s->listener_->onRequestBody(at, length);
  return 0;
}

int RequestParser::onMessageComplete(llhttp_t* p) {
  RequestParser* s = self(p);
  s->completed_ = true;
  s->listener_->onRequestComplete();
  return HPE_PAUSED;
}

}  // namespace sluice::http
