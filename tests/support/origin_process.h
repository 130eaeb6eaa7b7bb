#pragma once
// Runs build/bin/sluice-test-origin on 127.0.0.1 with a free port for one test (see
// test_origin/README.md for what it answers). Killed by the destructor.

#include <QJsonObject>
#include <QProcess>
#include <QString>

namespace sluice::test {

class OriginProcess {
 public:
  OriginProcess() = default;
  ~OriginProcess();
  OriginProcess(const OriginProcess&) = delete;
  OriginProcess& operator=(const OriginProcess&) = delete;

  // Starts it with `--id id` on 127.0.0.1:`port` (0 = any free port) and waits for `listening on`.
  bool start(const QString& id = QStringLiteral("origin"), int port = 0, int timeout_ms = 5000);
  void stop();

  int port() const { return port_; }
  QString address() const { return QStringLiteral("127.0.0.1:%1").arg(port_); }
  const QString& id() const { return id_; }
  qint64 pid() const { return process_.processId(); }

  // GET /stats straight from the origin (not through the node); an empty object on failure.
  QJsonObject stats() const;
  qint64 requests() const;             // stats()["requests"] (never counts /stats), -1 on failure
  qint64 connectionsAccepted() const;  // stats()["connections_accepted"], -1 on failure

 private:
  QProcess process_;
  QString id_;
  int port_ = -1;
};

}  // namespace sluice::test
