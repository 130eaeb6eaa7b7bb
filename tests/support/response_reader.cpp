#include "tests/support/response_reader.h"

namespace sluice::test {
namespace {

ResponseReader* self(llhttp_t* parser) {
  return static_cast<ResponseReader*>(parser->data);
}

}  // namespace

ResponseReader::ResponseReader() {
  llhttp_settings_init(&settings_);
  settings_.on_status = &onStatus;
  settings_.on_header_field = &onHeaderField;
  settings_.on_header_value = &onHeaderValue;
  settings_.on_header_value_complete = &onHeaderValueComplete;
  settings_.on_headers_complete = &onHeadersComplete;
  settings_.on_body = &onBody;
  settings_.on_message_complete = &onMessageComplete;
  llhttp_init(&parser_, HTTP_RESPONSE, &settings_);
  parser_.data = this;
}

void ResponseReader::begin(bool head_request, BodySink sink) {
  response_ = HttpResponse();
  field_.clear();
  value_.clear();
  head_request_ = head_request;
  complete_ = false;
  aborted_ = false;
  sink_ = std::move(sink);
  if (llhttp_get_errno(&parser_) == HPE_PAUSED) {
    llhttp_resume(&parser_);
  }
}

ResponseReader::State ResponseReader::feedPending() {
  QByteArray bytes = std::move(pending_);
  pending_.clear();
  if (bytes.isEmpty()) {
    return State::NeedMore;
  }
  return feed(bytes.constData(), bytes.size());
}

ResponseReader::State ResponseReader::feed(const char* data, size_t length) {
  const llhttp_errno_t err = llhttp_execute(&parser_, data, length);
  if (err == HPE_OK) {
    return State::NeedMore;
  }
  if (err == HPE_PAUSED && complete_) {
    const char* pos = llhttp_get_error_pos(&parser_);
    if (pos != nullptr && pos >= data && pos < data + length) {
      pending_.append(pos, data + length - pos);
    }
    return State::Complete;
  }
  response_.error =
      aborted_ ? QStringLiteral("aborted by body sink")
               : QStringLiteral("%1: %2").arg(llhttp_errno_name(err), llhttp_get_error_reason(&parser_));
  if (!complete_) {
    response_.status = response_.status == 0 ? 0 : response_.status;
  }
  return State::Failed;
}

ResponseReader::State ResponseReader::finish() {
  response_.closed_after = true;
  const llhttp_errno_t err = llhttp_finish(&parser_);
  if (complete_) {
    return State::Complete;
  }
  if (err != HPE_OK && err != HPE_PAUSED) {
    response_.error = QStringLiteral("closed mid-response: %1").arg(llhttp_errno_name(err));
  } else {
    response_.error = QStringLiteral("connection closed before a complete response");
  }
  return State::Failed;
}

int ResponseReader::onStatus(llhttp_t* parser, const char* at, size_t length) {
  self(parser)->response_.reason.append(at, length);
  return 0;
}

int ResponseReader::onHeaderField(llhttp_t* parser, const char* at, size_t length) {
  self(parser)->field_.append(at, length);
  return 0;
}

int ResponseReader::onHeaderValue(llhttp_t* parser, const char* at, size_t length) {
  self(parser)->value_.append(at, length);
  return 0;
}

int ResponseReader::onHeaderValueComplete(llhttp_t* parser) {
  ResponseReader* reader = self(parser);
  reader->response_.headers.append({reader->field_, reader->value_});
  reader->field_.clear();
  reader->value_.clear();
  return 0;
}

int ResponseReader::onHeadersComplete(llhttp_t* parser) {
  ResponseReader* reader = self(parser);
  reader->response_.status = llhttp_get_status_code(parser);
  reader->response_.http_major = llhttp_get_http_major(parser);
  reader->response_.http_minor = llhttp_get_http_minor(parser);
  reader->response_.chunked = (parser->flags & F_CHUNKED) != 0;
  // 1 = no body follows: the answer to a HEAD request (1xx/204/304 llhttp knows by itself).
  return reader->head_request_ && reader->response_.status >= 200 ? 1 : 0;
}

int ResponseReader::onBody(llhttp_t* parser, const char* at, size_t length) {
  ResponseReader* reader = self(parser);
  reader->response_.body_bytes += static_cast<qint64>(length);
  if (reader->sink_) {
    if (!reader->sink_(std::string_view(at, length))) {
      reader->aborted_ = true;
      return HPE_USER;
    }
    return 0;
  }
  reader->response_.body.append(at, static_cast<qsizetype>(length));
  return 0;
}

int ResponseReader::onMessageComplete(llhttp_t* parser) {
  self(parser)->complete_ = true;
  return HPE_PAUSED;
}

}  // namespace sluice::test
