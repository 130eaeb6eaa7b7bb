#pragma once
// A blocking TCP client on a raw POSIX socket (poll-based timeouts), deliberately not Qt networking:
// tests send arbitrary, malformed or partial bytes and read the answer byte-exact. One connection per
// object; responses are read one at a time and bytes after a response are kept for the next one
// (pipelining). Used from the test thread only.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <memory>

#include "tests/support/http_response.h"
#include "tests/support/response_reader.h"

namespace sluice::test {

struct ReadOptions {
  bool head_request = false;      // the request was HEAD: no body follows the head
  ResponseReader::BodySink sink;  // when set, gets the body instead of HttpResponse::body
};

class RawHttpClient {
 public:
  RawHttpClient();
  ~RawHttpClient();
  RawHttpClient(const RawHttpClient&) = delete;
  RawHttpClient& operator=(const RawHttpClient&) = delete;

  bool connect(int port, const QString& host = QStringLiteral("127.0.0.1"), int timeout_ms = 5000);
  bool isConnected() const { return fd_ >= 0; }
  void close();
  void shutdownWrite();
  void setReceiveBuffer(int bytes);  // SO_RCVBUF; call before connect() to take full effect
  int fd() const { return fd_; }

  // Sends all bytes (false on error or timeout, e.g. the peer closed).
  bool send(const QByteArray& bytes, int timeout_ms = 5000);

  // Reads the next complete response; status 0 and `error` set on timeout or close.
  HttpResponse readResponse(int timeout_ms = 5000, const ReadOptions& options = {});
  // Everything until the peer closes (or the timeout), including bytes already buffered.
  QByteArray readUntilClosed(int timeout_ms = 5000);
  // True if the peer closes (EOF or reset) within the timeout; data that arrives meanwhile is kept.
  bool isClosedByPeer(int timeout_ms = 2000);
  // Raw read of whatever arrives within the timeout (up to max_bytes), bypassing the parser.
  QByteArray readSome(int max_bytes, int timeout_ms);

  QString lastError() const { return last_error_; }

  // One request on a fresh connection, then close.
  static HttpResponse exchange(int port, const QByteArray& request, int timeout_ms = 5000,
                               const ReadOptions& options = {});

 private:
  enum class Io { Data, Closed, Timeout, Error };
  Io receive(int timeout_ms, QByteArray& out, int max_bytes = 64 * 1024);
  bool peerClosedNow(int wait_ms);

  int fd_ = -1;
  int rcvbuf_ = 0;
  bool peer_closed_ = false;
  QByteArray raw_pending_;  // bytes received but not yet given to the reader
  std::unique_ptr<ResponseReader> reader_;
  QString last_error_;
};

// "GET /path HTTP/1.1\r\nHost: host\r\n<headers>\r\n<body>" with Content-Length when body is non-empty
// (or when `force_length`). Headers are written as given, in order.
QByteArray buildRequest(const QByteArray& method, const QByteArray& target,
                        const QList<QPair<QByteArray, QByteArray>>& headers = {}, const QByteArray& body = {},
                        const QByteArray& host = "localhost");

}  // namespace sluice::test
