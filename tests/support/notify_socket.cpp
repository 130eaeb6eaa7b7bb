#include "tests/support/notify_socket.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <QDeadlineTimer>
#include <cstring>

namespace sluice::test {

NotifySocket::NotifySocket() {
  path_ = dir_.filePath(QStringLiteral("notify.sock"));
  const QByteArray native = path_.toLocal8Bit();
  sockaddr_un address{};
  if (!dir_.isValid() || static_cast<size_t>(native.size()) >= sizeof(address.sun_path)) {
    return;
  }
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, native.constData(), static_cast<size_t>(native.size()));
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd_ >= 0 && ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

NotifySocket::~NotifySocket() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

void NotifySocket::receive(int wait_ms) {
  if (fd_ < 0) {
    return;
  }
  if (wait_ms > 0) {
    pollfd p{fd_, POLLIN, 0};
    ::poll(&p, 1, wait_ms);
  }
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0) {
      return;  // EAGAIN: nothing more queued
    }
    messages_.append(QString::fromUtf8(buffer, static_cast<qsizetype>(n)));
  }
}

QStringList NotifySocket::messages() {
  receive(0);
  return messages_;
}

QString NotifySocket::waitFor(const std::function<bool(const QString&)>& match, int timeout_ms) {
  const QDeadlineTimer deadline(timeout_ms);
  for (;;) {
    receive(0);
    while (seen_ < messages_.size()) {
      const QString& message = messages_[seen_++];
      if (match(message)) {
        return message;
      }
    }
    if (deadline.hasExpired()) {
      return {};
    }
    receive(static_cast<int>(qMin<qint64>(deadline.remainingTime(), 100)));
  }
}

QString NotifySocket::waitForLine(const QString& line, int timeout_ms) {
  return waitFor([&](const QString& message) { return notifyLines(message).contains(line); }, timeout_ms);
}

void NotifySocket::clear() {
  receive(0);
  messages_.clear();
  seen_ = 0;
}

QStringList notifyLines(const QString& message) {
  return message.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

}  // namespace sluice::test
