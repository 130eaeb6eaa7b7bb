#pragma once
// A parsed HTTP response as the tests see it (filled by ResponseReader from raw bytes).

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace sluice::test {

struct HttpResponse {
  int status = 0;  // 0: no complete response (see `error`)
  QByteArray reason;
  int http_major = 0;
  int http_minor = 0;
  QList<QPair<QByteArray, QByteArray>> headers;  // in received order
  QByteArray body;                               // decoded (de-chunked); empty when a body sink consumed it
  qint64 body_bytes = 0;                         // decoded body size, also when a sink consumed it
  bool chunked = false;                          // the response used Transfer-Encoding: chunked
  bool closed_after = false;                     // the peer closed the connection right after this response
  QString error;                                 // why `status` is 0, or a framing error

  bool ok() const { return status != 0 && error.isEmpty(); }
  QByteArray header(const QByteArray& name) const;  // case-insensitive; first value, or empty
  bool hasHeader(const QByteArray& name) const;
  int headerCount(const QByteArray& name) const;
  QString describe() const;  // one line for failure messages
};

}  // namespace sluice::test
