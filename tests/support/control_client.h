#pragma once
// A blocking client of the control socket on a raw Unix socket (poll-based timeouts), for the
// integration tests: sends request lines (well-formed or not) and reads the node's lines. Replies
// are matched by id; stream events read meanwhile are kept for nextEvent(). Test thread only.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace sluice::test {

class ControlClient {
 public:
  ControlClient() = default;
  ~ControlClient();
  ControlClient(const ControlClient&) = delete;
  ControlClient& operator=(const ControlClient&) = delete;

  // False with lastError() and connectErrno() (e.g. EACCES) when the connect fails.
  bool connect(const QString& path);
  bool isConnected() const { return fd_ >= 0; }
  int connectErrno() const { return connect_errno_; }
  void close();
  int fd() const { return fd_; }

  // Sends all bytes; false on error (the peer closed) or timeout.
  bool sendRaw(const QByteArray& bytes, int timeout_ms = 5000);
  bool sendLine(const QByteArray& line, int timeout_ms = 5000) { return sendRaw(line + '\n', timeout_ms); }

  // The next line without its '\n'; nullopt on timeout or when the peer closed (lastError() says).
  std::optional<QByteArray> readLine(int timeout_ms = 5000);
  // The next line as a JSON object; nullopt on timeout, close, or a line that is not an object.
  std::optional<QJsonObject> readJson(int timeout_ms = 5000);

  // Sends {"id": N, "method": ..., "params": ...} and returns the line answering id N (events read
  // meanwhile are kept). An empty object on timeout or close.
  QJsonObject call(const QString& method, const QJsonObject& params = {}, int timeout_ms = 5000);
  // The next `{"event": ...}` line, kept or new; nullopt on timeout.
  std::optional<QJsonObject> nextEvent(int timeout_ms = 5000);
  int keptEvents() const { return static_cast<int>(events_.size()); }

  // True if the node closes the connection (EOF or reset) within the timeout; lines that arrive
  // meanwhile are kept for readLine().
  bool isClosedByPeer(int timeout_ms = 3000);

  QString lastError() const { return last_error_; }

 private:
  enum class Io { Data, Closed, Timeout };
  Io receive(int timeout_ms);

  int fd_ = -1;
  int connect_errno_ = 0;
  int next_id_ = 1;
  bool peer_closed_ = false;
  QByteArray buffer_;  // received, not yet returned as lines
  QList<QJsonObject> events_;
  QString last_error_;
};

}  // namespace sluice::test
