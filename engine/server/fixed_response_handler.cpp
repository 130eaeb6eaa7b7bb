#include "engine/server/fixed_response_handler.h"

namespace sluice::server {

FixedResponseHandler::FixedResponseHandler(ResponseSink& sink, int status, std::string_view content_type,
                                           std::string_view body, std::shared_ptr<const void> keep_alive)
    : sink_(sink), status_(status), body_(body), keep_alive_(std::move(keep_alive)) {
  content_type_line_.append("Content-Type: ").append(content_type).append("\r\n");
}

void FixedResponseHandler::onRequestComplete() {
  if (gone_) {
    return;
  }
  ResponseStart start;
  start.status = status_;
  start.extra_lines = content_type_line_;
  start.has_content_length = true;
  start.content_length = body_.size();
  sink_.startResponse(start);
  if (!sink_.sendBody(body_.data(), body_.size())) {
    return;
  }
  sink_.finishResponse();
}

}  // namespace sluice::server
