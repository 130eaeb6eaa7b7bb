#include "tests/support/origin_process.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QRegularExpression>

#include "tests/support/raw_http_client.h"
#include "tests/support/test_env.h"

namespace sluice::test {

OriginProcess::~OriginProcess() {
  stop();
}

bool OriginProcess::start(const QString& id, int port, int timeout_ms) {
  id_ = id;
  process_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
  process_.start(testOriginBinary(), {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port),
                                      QStringLiteral("--id"), id});
  if (!process_.waitForStarted(timeout_ms)) {
    return false;
  }
  static const QRegularExpression line(QStringLiteral(R"(listening on \S+:(\d+))"));
  QByteArray out;
  const QDeadlineTimer deadline(timeout_ms);
  while (!deadline.hasExpired()) {
    if (process_.waitForReadyRead(50)) {
      out += process_.readAllStandardOutput();
      const auto match = line.match(QString::fromUtf8(out));
      if (match.hasMatch()) {
        port_ = match.captured(1).toInt();
        return true;
      }
    }
    if (process_.state() == QProcess::NotRunning) {
      return false;
    }
  }
  return false;
}

void OriginProcess::stop() {
  if (process_.state() != QProcess::NotRunning) {
    process_.kill();
    process_.waitForFinished(5000);
  }
}

QJsonObject OriginProcess::stats() const {
  const HttpResponse response = RawHttpClient::exchange(port_, buildRequest("GET", "/stats"));
  if (response.status != 200) {
    return {};
  }
  return QJsonDocument::fromJson(response.body).object();
}

qint64 OriginProcess::requests() const {
  const QJsonObject object = stats();
  return object.isEmpty() ? -1 : object.value(QStringLiteral("requests")).toInteger();
}

qint64 OriginProcess::connectionsAccepted() const {
  const QJsonObject object = stats();
  return object.isEmpty() ? -1 : object.value(QStringLiteral("connections_accepted")).toInteger();
}

}  // namespace sluice::test
