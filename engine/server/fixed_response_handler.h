#pragma once
// Answers with a body known up front: a route's `respond:` block, the built-in status page, and
// the admin endpoints. The request body, if any, is read and discarded first, so the connection
// stays usable for keep-alive.

#include <memory>
#include <string>
#include <string_view>

#include "engine/server/response_sink.h"

namespace sluice::server {

class FixedResponseHandler final : public RequestHandler {
 public:
  // `body` must outlive the handler (it is held by `keep_alive` when given).
  FixedResponseHandler(ResponseSink& sink, int status, std::string_view content_type, std::string_view body,
                       std::shared_ptr<const void> keep_alive = nullptr);

  void onRequestBody(const char*, size_t) override {}
  void onRequestComplete() override;
  void onClientGone() override { gone_ = true; }

 private:
  ResponseSink& sink_;
  int status_;
  std::string content_type_line_;
  std::string_view body_;
  std::shared_ptr<const void> keep_alive_;
  bool gone_ = false;
};

}  // namespace sluice::server
