#pragma once
// Incremental HTTP/1.1 request parser over llhttp with Sluice's limits and smuggling defences.
// One per client connection, on that connection's loop thread.
//
// feed() parses until the end of one request and then pauses (returns Paused with the number of
// bytes consumed): the connection answers that request before it resumes with the leftover bytes,
// which keeps pipelined requests in order and bounds what is buffered.

#include <llhttp.h>

#include <cstddef>
#include <cstdint>

#include "engine/http/chunk_framing.h"
#include "engine/http/head_buffer.h"
#include "engine/http/head_scanner.h"
#include "engine/http/message_head.h"

namespace sluice::http {

struct ParserLimits {
  uint32_t max_header_size = 16 * 1024;
  uint32_t max_uri_size = 8 * 1024;
  uint32_t max_headers = 100;
};

class RequestListener {
 public:
  virtual ~RequestListener() = default;
  // Return 0 to go on, or an HTTP status (e.g. 413) to stop parsing and answer it.
  virtual int onRequestHead(RequestHead& head) = 0;
  virtual void onRequestBody(const char* data, size_t length) = 0;
  virtual void onRequestComplete() = 0;
};

class RequestParser {
 public:
  enum class Status { NeedMore, Paused, Error };
  struct Result {
    Status status = Status::NeedMore;
    size_t consumed = 0;
    int http_status = 0;        // with Error: the status to answer (400, 413, 414, 431)
    const char* reason = "";    // with Error: for the log
  };

  RequestParser(const ParserLimits& limits, RequestListener* listener);
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;

  void setLimits(const ParserLimits& limits) { limits_ = limits; }
  // The body limit of the current request (0 = none); set from onRequestHead.
  void setBodyLimit(uint64_t limit) { body_limit_ = limit; }

  Result feed(const char* data, size_t length);
  // After Paused: go on with the next request.
  void resume();
  bool inHead() const { return in_head_; }
  bool started() const { return message_started_; }

 private:
  static int onMessageBegin(llhttp_t* p);
  static int onUrl(llhttp_t* p, const char* at, size_t length);
  static int onHeaderField(llhttp_t* p, const char* at, size_t length);
  static int onHeaderFieldComplete(llhttp_t* p);
  static int onHeaderValue(llhttp_t* p, const char* at, size_t length);
  static int onHeaderValueComplete(llhttp_t* p);
  static int onHeadersComplete(llhttp_t* p);
  static int onBody(llhttp_t* p, const char* at, size_t length);
  static int onMessageComplete(llhttp_t* p);
  static int onChunkHeader(llhttp_t* p);
  int fail(int status, const char* reason);
  int finishHead();

  llhttp_settings_t settings_{};
  llhttp_t parser_{};
  ParserLimits limits_;
  RequestListener* listener_;
  HeadBuffer head_buffer_;
  HeadScanner scanner_;
  ChunkFraming chunks_;
  RequestHead head_;
  uint64_t body_limit_ = 0;
  uint64_t body_seen_ = 0;
  bool in_head_ = true;
  bool message_started_ = false;
  bool completed_ = false;  // the current request's message is complete
  int error_status_ = 0;
  const char* error_reason_ = "";
};

}  // namespace sluice::http
