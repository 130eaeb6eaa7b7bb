#pragma once
// Incremental HTTP/1.1 response parser over llhttp (HTTP_RESPONSE) for one connection: feed it
// bytes, it stops after each complete response and keeps what follows for the next one (pipelining).
// Handles Content-Length, chunked, read-until-close (finish() at EOF), 1xx, and HEAD responses.

#include <llhttp.h>

#include <QByteArray>
#include <functional>
#include <string_view>

#include "tests/support/http_response.h"

namespace sluice::test {

class ResponseReader {
 public:
  // Returns false to abandon the response (e.g. a test that reads only part of a large body).
  using BodySink = std::function<bool(std::string_view)>;

  ResponseReader();
  ResponseReader(const ResponseReader&) = delete;
  ResponseReader& operator=(const ResponseReader&) = delete;

  // Starts the next response. `head_request`: the request was HEAD (no body follows the head).
  // `sink`: when set, receives the body instead of HttpResponse::body.
  void begin(bool head_request, BodySink sink);

  enum class State { NeedMore, Complete, Failed };
  // Consumes bytes; on Complete, bytes after the response are left in `pending()`.
  State feed(const char* data, size_t length);
  // Feeds the bytes left over by the previous response.
  State feedPending();
  // The peer closed: completes a read-until-close body, or fails.
  State finish();

  QByteArray& pending() { return pending_; }
  HttpResponse& response() { return response_; }

 private:
  static int onStatus(llhttp_t* parser, const char* at, size_t length);
  static int onHeaderField(llhttp_t* parser, const char* at, size_t length);
  static int onHeaderValue(llhttp_t* parser, const char* at, size_t length);
  static int onHeaderValueComplete(llhttp_t* parser);
  static int onHeadersComplete(llhttp_t* parser);
  static int onBody(llhttp_t* parser, const char* at, size_t length);
  static int onMessageComplete(llhttp_t* parser);

  llhttp_settings_t settings_;
  llhttp_t parser_;
  HttpResponse response_;
  QByteArray field_;
  QByteArray value_;
  QByteArray pending_;
  bool head_request_ = false;
  bool complete_ = false;
  bool aborted_ = false;
  BodySink sink_;
};

}  // namespace sluice::test
