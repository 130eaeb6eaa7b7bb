#include "tests/support/control_client.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <cerrno>
#include <cstring>

namespace sluice::test {
namespace {

int remainingMs(const QDeadlineTimer& deadline) {
  const qint64 ms = deadline.remainingTime();
  return ms < 0 ? 0 : static_cast<int>(ms);
}

}  // namespace

ControlClient::~ControlClient() {
  close();
}

bool ControlClient::connect(const QString& path) {
  close();
  connect_errno_ = 0;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const QByteArray bytes = path.toLocal8Bit();
  if (bytes.size() >= static_cast<int>(sizeof(address.sun_path))) {
    last_error_ = QStringLiteral("path too long");
    return false;
  }
  std::memcpy(address.sun_path, bytes.constData(), static_cast<size_t>(bytes.size()));
  fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    last_error_ = QString::fromLocal8Bit(std::strerror(errno));
    return false;
  }
  // A Unix socket connects at once (or fails at once): no need for a non-blocking connect.
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    connect_errno_ = errno;
    last_error_ = QString::fromLocal8Bit(std::strerror(errno));
    ::close(fd_);
    fd_ = -1;
    return false;
  }
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  return true;
}

void ControlClient::close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  peer_closed_ = false;
  buffer_.clear();
  events_.clear();
}

bool ControlClient::sendRaw(const QByteArray& bytes, int timeout_ms) {
  const QDeadlineTimer deadline(timeout_ms);
  qsizetype sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.constData() + sent, static_cast<size_t>(bytes.size() - sent), MSG_NOSIGNAL);
    if (n > 0) {
      sent += n;
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      last_error_ = QString::fromLocal8Bit(std::strerror(errno));
      return false;
    }
    pollfd pfd{fd_, POLLOUT, 0};
    if (::poll(&pfd, 1, remainingMs(deadline)) <= 0) {
      last_error_ = QStringLiteral("send timeout after %1 of %2 bytes").arg(sent).arg(bytes.size());
      return false;
    }
  }
  return true;
}

ControlClient::Io ControlClient::receive(int timeout_ms) {
  if (peer_closed_) {
    return Io::Closed;
  }
  pollfd pfd{fd_, POLLIN, 0};
  if (::poll(&pfd, 1, timeout_ms) <= 0) {
    return Io::Timeout;
  }
  char chunk[64 * 1024];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n > 0) {
    buffer_.append(chunk, n);
    return Io::Data;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
    return Io::Data;  // spurious wake-up: the caller loops
  }
  // EOF, or ECONNRESET when the node closed with our bytes unread: either way it is gone.
  peer_closed_ = true;
  last_error_ = n == 0 ? QStringLiteral("closed by the node") : QString::fromLocal8Bit(std::strerror(errno));
  return Io::Closed;
}

std::optional<QByteArray> ControlClient::readLine(int timeout_ms) {
  const QDeadlineTimer deadline(timeout_ms);
  while (true) {
    const qsizetype newline = buffer_.indexOf('\n');
    if (newline >= 0) {
      QByteArray line = buffer_.left(newline);
      buffer_.remove(0, newline + 1);
      return line;
    }
    if (fd_ < 0) {
      last_error_ = QStringLiteral("not connected");
      return std::nullopt;
    }
    const Io io = receive(remainingMs(deadline));
    if (io == Io::Closed) {
      return std::nullopt;
    }
    if (io == Io::Timeout) {
      last_error_ = QStringLiteral("timeout waiting for a line");
      return std::nullopt;
    }
  }
}

std::optional<QJsonObject> ControlClient::readJson(int timeout_ms) {
  std::optional<QByteArray> line = readLine(timeout_ms);
  if (!line) {
    return std::nullopt;
  }
  QJsonParseError error{};
  const QJsonDocument doc = QJsonDocument::fromJson(*line, &error);
  if (!doc.isObject()) {
    last_error_ = QStringLiteral("not a JSON object: ") + QString::fromUtf8(line->left(200));
    return std::nullopt;
  }
  return doc.object();
}

QJsonObject ControlClient::call(const QString& method, const QJsonObject& params, int timeout_ms) {
  const int id = next_id_++;
  QJsonObject request{{QStringLiteral("id"), id}, {QStringLiteral("method"), method}};
  if (!params.isEmpty()) {
    request.insert(QStringLiteral("params"), params);
  }
  if (!sendLine(QJsonDocument(request).toJson(QJsonDocument::Compact))) {
    return {};
  }
  const QDeadlineTimer deadline(timeout_ms);
  while (true) {
    std::optional<QJsonObject> reply = readJson(remainingMs(deadline));
    if (!reply) {
      return {};
    }
    if (reply->contains(QStringLiteral("event"))) {
      events_.append(*reply);
      continue;
    }
    if (reply->value(QStringLiteral("id")).toInt(-1) == id) {
      return *reply;
    }
    last_error_ = QStringLiteral("a reply for another id");
  }
}

std::optional<QJsonObject> ControlClient::nextEvent(int timeout_ms) {
  if (!events_.isEmpty()) {
    return events_.takeFirst();
  }
  const QDeadlineTimer deadline(timeout_ms);
  while (true) {
    std::optional<QJsonObject> line = readJson(remainingMs(deadline));
    if (!line) {
      return std::nullopt;
    }
    if (line->contains(QStringLiteral("event"))) {
      return line;
    }
  }
}

bool ControlClient::isClosedByPeer(int timeout_ms) {
  const QDeadlineTimer deadline(timeout_ms);
  while (true) {
    const Io io = receive(remainingMs(deadline));
    if (io == Io::Closed) {
      return true;
    }
    if (io == Io::Timeout) {
      return false;
    }
  }
}

}  // namespace sluice::test
