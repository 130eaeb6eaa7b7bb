#include "tests/support/http_response.h"

namespace sluice::test {

QByteArray HttpResponse::header(const QByteArray& name) const {
  for (const auto& [key, value] : headers) {
    if (key.compare(name, Qt::CaseInsensitive) == 0) {
      return value;
    }
  }
  return {};
}

bool HttpResponse::hasHeader(const QByteArray& name) const {
  return headerCount(name) > 0;
}

int HttpResponse::headerCount(const QByteArray& name) const {
  int count = 0;
  for (const auto& header : headers) {
    if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
      ++count;
    }
  }
  return count;
}

QString HttpResponse::describe() const {
  QString text = QStringLiteral("status %1").arg(status);
  if (!error.isEmpty()) {
    text += QStringLiteral(" error '%1'").arg(error);
  }
  text += QStringLiteral(" body %1 bytes").arg(body_bytes);
  if (!body.isEmpty()) {
    text += QStringLiteral(": '%1'").arg(QString::fromUtf8(body.left(200)).trimmed());
  }
  return text;
}

}  // namespace sluice::test
