#include "engine/http/response_parser.h"

namespace sluice::http {
namespace {

ResponseParser* self(llhttp_t* p) { return static_cast<ResponseParser*>(p->data); }

}  // namespace

ResponseParser::ResponseParser(ResponseListener* listener) : listener_(listener) {
  llhttp_settings_init(&settings_);
  settings_.on_message_begin = &ResponseParser::onMessageBegin;
  settings_.on_status = &ResponseParser::onStatus;
  settings_.on_header_field = &ResponseParser::onHeaderField;
  settings_.on_header_field_complete = &ResponseParser::onHeaderFieldComplete;
  settings_.on_header_value = &ResponseParser::onHeaderValue;
  settings_.on_header_value_complete = &ResponseParser::onHeaderValueComplete;
  settings_.on_headers_complete = &ResponseParser::onHeadersComplete;
  settings_.on_body = &ResponseParser::onBody;
  settings_.on_message_complete = &ResponseParser::onMessageComplete;
  llhttp_init(&parser_, HTTP_RESPONSE, &settings_);
  parser_.data = this;
}

void ResponseParser::start(bool head_request) {
  llhttp_init(&parser_, HTTP_RESPONSE, &settings_);
  parser_.data = this;
  head_request_ = head_request;
  head_received_ = false;
  interim_ = false;
  complete_ = false;
  keep_alive_ = false;
  too_large_ = false;
  head_buffer_.reset();
}

ResponseParser::Result ResponseParser::feed(const char* data, size_t length) {
  Result result;
  const llhttp_errno_t err = llhttp_execute(&parser_, data, length);
  if (err == HPE_OK) {
    result.consumed = length;
    return result;
  }
  if (err == HPE_PAUSED && complete_) {
    result.status = Status::Complete;
    result.consumed = static_cast<size_t>(llhttp_get_error_pos(&parser_) - data);
    return result;
  }
  result.status = Status::Error;
  result.reason = too_large_ ? "response head too large" : llhttp_get_error_reason(&parser_);
  if (result.reason == nullptr) {
    result.reason = llhttp_errno_name(err);
  }
  return result;
}

ResponseParser::Result ResponseParser::finish() {
  Result result;
  if (complete_) {
    result.status = Status::Complete;
    return result;
  }
  const llhttp_errno_t err = llhttp_finish(&parser_);
  if ((err == HPE_OK || err == HPE_PAUSED) && complete_) {
    result.status = Status::Complete;
    return result;
  }
  result.status = Status::Error;
  result.reason = head_received_ ? "upstream closed mid-response" : "upstream closed before responding";
  return result;
}

int ResponseParser::onMessageBegin(llhttp_t* p) {
  ResponseParser* s = self(p);
  s->head_buffer_.reset();
  s->interim_ = false;
  return 0;
}

int ResponseParser::onStatus(llhttp_t* p, const char* at, size_t length) {
  ResponseParser* s = self(p);
  s->head_buffer_.appendStartToken(at, length);
  if (s->head_buffer_.size() > kMaxHeadSize) {
    s->too_large_ = true;
    return -1;
  }
  return 0;
}

int ResponseParser::onHeaderField(llhttp_t* p, const char* at, size_t length) {
  ResponseParser* s = self(p);
  if (s->head_received_) {
    return 0;  // trailer fields are dropped; the head's views must stay valid
  }
  s->head_buffer_.appendField(at, length);
  if (s->head_buffer_.size() > kMaxHeadSize) {
    s->too_large_ = true;
    return -1;
  }
  return 0;
}

int ResponseParser::onHeaderFieldComplete(llhttp_t* p) {
  if (self(p)->head_received_) {
    return 0;
  }
  self(p)->head_buffer_.finishField();
  return 0;
}

int ResponseParser::onHeaderValue(llhttp_t* p, const char* at, size_t length) {
  ResponseParser* s = self(p);
  if (s->head_received_) {
    return 0;  // trailer fields are dropped; the head's views must stay valid
  }
  s->head_buffer_.appendValue(at, length);
  if (s->head_buffer_.size() > kMaxHeadSize) {
    s->too_large_ = true;
    return -1;
  }
  return 0;
}

int ResponseParser::onHeaderValueComplete(llhttp_t* p) {
  if (self(p)->head_received_) {
    return 0;
  }
  self(p)->head_buffer_.finishValue();
  return 0;
}

int ResponseParser::onHeadersComplete(llhttp_t* p) {
  ResponseParser* s = self(p);
  const int status = p->status_code;
  if (status >= 100 && status < 200) {
    if (status == 101) {
      return -1;  // Sluice strips Upgrade, so a switch of protocols is an upstream error
    }
    s->interim_ = true;  // skipped: llhttp ends this message without a body
    return 0;
  }
  ResponseHead& h = s->head_;
  h.status = status;
  h.reason = s->head_buffer_.startToken();
  h.version_major = p->http_major;
  h.version_minor = p->http_minor;
  s->head_buffer_.fillHeaders(h.headers);
  h.chunked = (p->flags & F_CHUNKED) != 0;
  h.has_content_length = (p->flags & F_CONTENT_LENGTH) != 0;
  h.content_length = h.has_content_length ? p->content_length : 0;
  h.keep_alive = llhttp_should_keep_alive(p) != 0;
  s->head_received_ = true;
  s->listener_->onResponseHead(h);
  // 1: no body follows, whatever the framing headers say (RFC 9110, 6.4.1).
  return (s->head_request_ || status == 204 || status == 304) ? 1 : 0;
}

int ResponseParser::onBody(llhttp_t* p, const char* at, size_t length) {
  self(p)->listener_->onResponseBody(at, length);
  return 0;
}

int ResponseParser::onMessageComplete(llhttp_t* p) {
  ResponseParser* s = self(p);
  if (s->interim_) {
    return 0;  // go on to the final response
  }
  s->complete_ = true;
  s->keep_alive_ = llhttp_should_keep_alive(p) != 0;
  s->listener_->onResponseComplete();
  return HPE_PAUSED;
}

}  // namespace sluice::http
