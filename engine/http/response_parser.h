#pragma once
// Incremental HTTP/1.x response parser over llhttp, for upstream connections. Interim 1xx
// responses are skipped (Sluice sends no Expect upstream, but a server may still send them).

#include <llhttp.h>

#include <cstddef>

#include "engine/http/head_buffer.h"
#include "engine/http/message_head.h"

namespace sluice::http {

class ResponseListener {
 public:
  virtual ~ResponseListener() = default;
  virtual void onResponseHead(ResponseHead& head) = 0;
  virtual void onResponseBody(const char* data, size_t length) = 0;
  virtual void onResponseComplete() = 0;
};

class ResponseParser {
 public:
  enum class Status { NeedMore, Complete, Error };
  struct Result {
    Status status = Status::NeedMore;
    size_t consumed = 0;
    const char* reason = "";
  };

  static constexpr size_t kMaxHeadSize = 64 * 1024;

  explicit ResponseParser(ResponseListener* listener);
  ResponseParser(const ResponseParser&) = delete;
  ResponseParser& operator=(const ResponseParser&) = delete;

  // Prepares for the response to one request; HEAD responses carry no body whatever they say.
  void start(bool head_request);
  Result feed(const char* data, size_t length);
  // The upstream closed: completes a read-until-close body, or reports a truncated response.
  Result finish();
  bool headReceived() const { return head_received_; }
  bool keepAlive() const { return keep_alive_; }

 private:
  static int onMessageBegin(llhttp_t* p);
  static int onStatus(llhttp_t* p, const char* at, size_t length);
  static int onHeaderField(llhttp_t* p, const char* at, size_t length);
  static int onHeaderFieldComplete(llhttp_t* p);
  static int onHeaderValue(llhttp_t* p, const char* at, size_t length);
  static int onHeaderValueComplete(llhttp_t* p);
  static int onHeadersComplete(llhttp_t* p);
  static int onBody(llhttp_t* p, const char* at, size_t length);
  static int onMessageComplete(llhttp_t* p);

  llhttp_settings_t settings_{};
  llhttp_t parser_{};
  ResponseListener* listener_;
  HeadBuffer head_buffer_;
  ResponseHead head_;
  bool head_request_ = false;
  bool head_received_ = false;
  bool interim_ = false;
  bool complete_ = false;
  bool keep_alive_ = false;
  bool too_large_ = false;
};

}  // namespace sluice::http
