#pragma once
// Decides what answers a request: the worker's router for public listeners, the admin server for
// control.admin_http. Runs on the connection's loop thread.

#include <cstdint>
#include <memory>

#include "engine/http/message_head.h"
#include "engine/server/request_context.h"
#include "engine/server/response_sink.h"

namespace sluice::server {

struct Dispatch {
  std::unique_ptr<RequestHandler> handler;  // null: answer `error_status`, unless `answered`
  int error_status = 0;
  bool answered = false;                    // a filter already answered through the sink
  uint64_t body_limit = 0;                  // 0 = none
};

class Dispatcher {
 public:
  virtual ~Dispatcher() = default;
  virtual Dispatch dispatch(const http::RequestHead& head, RequestContext& context, ResponseSink& sink) = 0;
  // The request is done (response finished or client gone): metrics and access log.
  virtual void finished(const http::RequestHead& head, const RequestContext& context) = 0;
};

}  // namespace sluice::server
