#pragma once
// One accepted client connection of the test origin. Owns a uv_tcp_t and a uv_timer_t; once both
// have closed, the server frees it (OriginServer::remove). Requests are answered strictly in order:
// the parser pauses after each complete request until its response is fully written, and bytes that
// arrive meanwhile (pipelining) wait in `inbox_` (reading stops when it holds over 1 MiB).
// Request bodies are never stored: they are counted and, for /upload, hashed as they stream in.
// Generated bodies are written one slice at a time, the next when the previous write drained.

#include <llhttp.h>
#include <uv.h>

#include <array>
#include <string>

#include "tests/support/test_origin/origin_routes.h"
#include "tests/support/test_origin/sha256_stream.h"

namespace sluice::test_origin {

class OriginServer;

class OriginConnection {
 public:
  explicit OriginConnection(OriginServer& server);
  OriginConnection(const OriginConnection&) = delete;
  OriginConnection& operator=(const OriginConnection&) = delete;

  void accept(uv_stream_t* listener);
  // The server refuses connections for a while (an outage): an idle connection closes now, a busy
  // one after its response.
  void dropIfIdle();

 private:
  enum class After { Nothing, PumpBody, FinishResponse, Reset };
  struct WriteRequest;

  static void onAlloc(uv_handle_t* handle, size_t suggested, uv_buf_t* buf);
  static void onRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
  static void onWritten(uv_write_t* req, int status);
  static void onShutdown(uv_shutdown_t* req, int status);
  static void onClosed(uv_handle_t* handle);
  static void onTimer(uv_timer_t* timer);

  static const llhttp_settings_t* parserSettings();
  static int onMessageBegin(llhttp_t* parser);
  static int onUrl(llhttp_t* parser, const char* at, size_t length);
  static int onHeaderField(llhttp_t* parser, const char* at, size_t length);
  static int onHeaderValue(llhttp_t* parser, const char* at, size_t length);
  static int onHeaderValueComplete(llhttp_t* parser);
  static int onHeadersComplete(llhttp_t* parser);
  static int onBody(llhttp_t* parser, const char* at, size_t length);
  static int onMessageComplete(llhttp_t* parser);

  void feed(const char* data, size_t length);
  void drainInbox();
  void startResponse();
  void sendFixed(const ResponsePlan& plan);
  void sendGenerated(const ResponsePlan& plan);
  void pumpBody();
  void finishResponse();
  void write(std::string owned, After after);
  void writeSlice(const char* data, size_t length, std::string prefix, std::string suffix);
  void sendSlowSlice();
  void closeAfterFlush();
  void close();
  void reset();  // close with RST (SO_LINGER 0)

  OriginServer& server_;
  uv_tcp_t tcp_;
  uv_timer_t timer_;
  int open_handles_ = 0;
  bool closing_ = false;
  bool reading_ = false;
  bool peer_eof_ = false;

  llhttp_t parser_;
  std::string inbox_;
  std::array<char, 64 * 1024> read_buffer_;

  Request request_;
  std::string field_;
  std::string value_;
  bool hashing_ = false;
  Sha256Stream sha_;

  // The response in progress.
  bool busy_ = false;
  bool close_after_response_ = false;
  PlanKind plan_kind_ = PlanKind::Fixed;
  ResponsePlan delayed_;
  uint64_t body_remaining_ = 0;
  uint64_t body_offset_ = 0;
  bool body_chunked_ = false;
  uint64_t slow_slice_ = 0;      // Slow: bytes per tick
  uint64_t slow_interval_ = 0;   // Slow: ms between ticks
};

}  // namespace sluice::test_origin
