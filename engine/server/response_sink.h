#pragma once
// How a request handler answers: one head, then body slices, then finish. Implemented by
// ClientConnection, which adds framing (Content-Length or chunked), Date, Connection and
// X-Request-ID, and applies HEAD semantics. All calls on the connection's loop thread.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/http/header_field.h"

namespace sluice::server {

struct ResponseStart {
  int status = 200;
  const http::HeaderList* headers = nullptr;  // end-to-end headers to send, already filtered
  std::string_view extra_lines;               // preformatted "Name: value\r\n" lines
  bool has_content_length = false;
  uint64_t content_length = 0;
  bool has_date = false;                      // `headers` already hold a Date
};

class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  virtual void startResponse(const ResponseStart& start) = 0;
  // False when the client is gone; the handler stops producing (onClientGone follows or came).
  virtual bool sendBody(const char* data, size_t length) = 0;
  // The response is complete. The handler must return right after this call without touching
  // the sink or its own members that the connection may reuse.
  virtual void finishResponse() = 0;
  // Bytes written but not yet taken by the client's socket (for backpressure).
  virtual size_t pendingOutput() const = 0;
  // The handler has room again for request body bytes (after it reported pressure).
  virtual void resumeRequestBody() = 0;
  // Writes a response head that is still held back to go out with the first body bytes (call at the
  // end of a read from upstream, so a slow body never delays the head).
  virtual void flush() = 0;
  // Sends "100 Continue" if the client asked for it and it has not been sent.
  virtual void sendContinue() = 0;
  // Answers with a short error response (only while no response head was sent).
  virtual void sendError(int status, std::string_view extra_lines = {}) = 0;
};

// One request being answered. Created by the dispatcher, owned by the ClientConnection, destroyed
// after the response finished or the client went away.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Called once the connection has accepted the request (limits checked, 100-continue sent).
  virtual void start() {}
  virtual void onRequestBody(const char* data, size_t length) = 0;
  virtual void onRequestComplete() = 0;
  // Request body bytes buffered by the handler; above the connection's watermark the connection
  // stops reading from the client until the handler calls resumeRequestBody().
  virtual size_t pendingInput() const { return 0; }
  // pendingOutput() dropped to zero: the handler may produce more.
  virtual void onOutputDrained() {}
  // The client closed or failed: stop, release resources, never touch the sink again.
  virtual void onClientGone() = 0;
};

}  // namespace sluice::server
