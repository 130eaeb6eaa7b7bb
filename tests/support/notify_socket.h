#pragma once
// A stand-in for systemd's notification socket: a Unix datagram socket bound in a private temp dir,
// whose path goes into the node's NOTIFY_SOCKET. Each datagram the node sends (sd_notify) is one
// message of NAME=VALUE lines. Non-blocking; used from the test thread only.

#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <functional>

namespace sluice::test {

class NotifySocket {
 public:
  NotifySocket();
  ~NotifySocket();
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  bool isValid() const { return fd_ >= 0; }
  QString path() const { return path_; }

  // Every message received so far (each datagram's text), oldest first.
  QStringList messages();
  // Waits up to timeout_ms for a new message for which `match` is true; returns it, or a null
  // QString on timeout. Messages that do not match are kept in messages() too.
  QString waitFor(const std::function<bool(const QString&)>& match, int timeout_ms);
  // Waits for a message holding the line `line` (e.g. "READY=1").
  QString waitForLine(const QString& line, int timeout_ms);
  // Forgets the messages received so far.
  void clear();

 private:
  // Reads whatever is queued (non-blocking), or waits up to wait_ms for one datagram first.
  void receive(int wait_ms);

  QTemporaryDir dir_;
  QString path_;
  int fd_ = -1;
  QStringList messages_;
  qsizetype seen_ = 0;  // messages_ before this index were already offered to waitFor()
};

// The lines of one message ("READY=1\nSTATUS=x" -> {"READY=1", "STATUS=x"}).
QStringList notifyLines(const QString& message);

}  // namespace sluice::test
