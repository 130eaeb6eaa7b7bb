#include "tests/support/raw_http_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QDeadlineTimer>
#include <cerrno>
#include <cstring>

namespace sluice::test {
namespace {

int remainingMs(const QDeadlineTimer& deadline) {
  const qint64 ms = deadline.remainingTime();
  return ms < 0 ? 0 : static_cast<int>(ms);
}

}  // namespace

RawHttpClient::RawHttpClient() = default;

RawHttpClient::~RawHttpClient() {
  close();
}

void RawHttpClient::setReceiveBuffer(int bytes) {
  rcvbuf_ = bytes;
  if (fd_ >= 0) {
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
  }
}

bool RawHttpClient::connect(int port, const QString& host, int timeout_ms) {
  close();
  // IPv4 ("127.0.0.1") or IPv6 ("::1"), numeric only.
  sockaddr_storage storage{};
  socklen_t address_length = 0;
  const QByteArray text = host.toLatin1();
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (::inet_pton(AF_INET, text.constData(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    address_length = sizeof(sockaddr_in);
  } else if (::inet_pton(AF_INET6, text.constData(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    address_length = sizeof(sockaddr_in6);
  } else {
    last_error_ = QStringLiteral("bad address %1").arg(host);
    return false;
  }
  fd_ = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    last_error_ = QString::fromLocal8Bit(std::strerror(errno));
    return false;
  }
  if (rcvbuf_ > 0) {
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf_, sizeof(rcvbuf_));
  }
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&storage), address_length) != 0 && errno != EINPROGRESS) {
    last_error_ = QString::fromLocal8Bit(std::strerror(errno));
    close();
    return false;
  }
  pollfd pfd{fd_, POLLOUT, 0};
  if (::poll(&pfd, 1, timeout_ms) != 1) {
    last_error_ = QStringLiteral("connect timeout");
    close();
    return false;
  }
  int so_error = 0;
  socklen_t length = sizeof(so_error);
  ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &so_error, &length);
  if (so_error != 0) {
    last_error_ = QString::fromLocal8Bit(std::strerror(so_error));
    close();
    return false;
  }
  reader_ = std::make_unique<ResponseReader>();
  peer_closed_ = false;
  raw_pending_.clear();
  return true;
}

void RawHttpClient::close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

void RawHttpClient::shutdownWrite() {
  if (fd_ >= 0) {
    ::shutdown(fd_, SHUT_WR);
  }
}

bool RawHttpClient::send(const QByteArray& bytes, int timeout_ms) {
  if (fd_ < 0) {
    last_error_ = QStringLiteral("not connected");
    return false;
  }
  const QDeadlineTimer deadline(timeout_ms);
  qsizetype offset = 0;
  while (offset < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.constData() + offset, bytes.size() - offset, MSG_NOSIGNAL);
    if (n > 0) {
      offset += n;
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      last_error_ = QString::fromLocal8Bit(std::strerror(errno));
      return false;
    }
    pollfd pfd{fd_, POLLOUT, 0};
    if (::poll(&pfd, 1, remainingMs(deadline)) != 1) {
      last_error_ = QStringLiteral("send timeout");
      return false;
    }
  }
  return true;
}

RawHttpClient::Io RawHttpClient::receive(int timeout_ms, QByteArray& out, int max_bytes) {
  if (fd_ < 0 || peer_closed_) {
    return Io::Closed;
  }
  const QDeadlineTimer deadline(timeout_ms);
  char buffer[64 * 1024];
  const int want = qMin<int>(max_bytes, sizeof(buffer));
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer, want, 0);
    if (n > 0) {
      out.append(buffer, n);
      return Io::Data;
    }
    if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
      if (n < 0 && errno != ECONNRESET) {
        last_error_ = QString::fromLocal8Bit(std::strerror(errno));
      }
      peer_closed_ = true;
      return n == 0 || errno == ECONNRESET ? Io::Closed : Io::Error;
    }
    pollfd pfd{fd_, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, remainingMs(deadline));
    if (ready == 0) {
      return Io::Timeout;
    }
    if (ready < 0 && errno != EINTR) {
      return Io::Error;
    }
  }
}

bool RawHttpClient::peerClosedNow(int wait_ms) {
  QByteArray extra;
  const QDeadlineTimer deadline(wait_ms);
  for (;;) {
    const Io io = receive(remainingMs(deadline), extra);
    if (io == Io::Closed || io == Io::Error) {
      raw_pending_.append(extra);
      return true;
    }
    if (io == Io::Timeout || deadline.hasExpired()) {
      raw_pending_.append(extra);
      return false;
    }
  }
}

HttpResponse RawHttpClient::readResponse(int timeout_ms, const ReadOptions& options) {
  if (!reader_) {
    HttpResponse failed;
    failed.error = QStringLiteral("not connected");
    return failed;
  }
  reader_->begin(options.head_request, options.sink);
  const QDeadlineTimer deadline(timeout_ms);
  ResponseReader::State state = reader_->feedPending();
  while (state == ResponseReader::State::NeedMore) {
    if (!raw_pending_.isEmpty()) {
      QByteArray bytes = std::move(raw_pending_);
      raw_pending_.clear();
      state = reader_->feed(bytes.constData(), bytes.size());
      continue;
    }
    QByteArray chunk;
    const Io io = receive(remainingMs(deadline), chunk);
    if (io == Io::Data) {
      state = reader_->feed(chunk.constData(), chunk.size());
    } else if (io == Io::Closed || io == Io::Error) {
      state = reader_->finish();
    } else {
      reader_->response().error = QStringLiteral("timeout after %1 ms").arg(timeout_ms);
      state = ResponseReader::State::Failed;
    }
  }
  HttpResponse response = reader_->response();
  if (state == ResponseReader::State::Failed) {
    if (response.error.isEmpty()) {
      response.error = QStringLiteral("failed");
    }
    return response;
  }
  // Bytes after the response belong to the next one: hand them back to the raw buffer.
  raw_pending_.prepend(reader_->pending());
  reader_->pending().clear();
  if (!response.closed_after && raw_pending_.isEmpty()) {
    // A response that announces the close gets a moment for the FIN; others are checked without waiting.
    const bool announced = response.header("Connection").toLower().contains("close");
    response.closed_after = peerClosedNow(announced ? qMin(1000, qMax(remainingMs(deadline), 200)) : 0);
  }
  return response;
}

QByteArray RawHttpClient::readUntilClosed(int timeout_ms) {
  QByteArray all = reader_ ? reader_->pending() : QByteArray();
  if (reader_) {
    reader_->pending().clear();
  }
  all.append(raw_pending_);
  raw_pending_.clear();
  const QDeadlineTimer deadline(timeout_ms);
  while (!deadline.hasExpired()) {
    const Io io = receive(remainingMs(deadline), all);
    if (io != Io::Data) {
      break;
    }
  }
  return all;
}

bool RawHttpClient::isClosedByPeer(int timeout_ms) {
  if (fd_ < 0 || peer_closed_) {
    return true;
  }
  return peerClosedNow(timeout_ms);
}

QByteArray RawHttpClient::readSome(int max_bytes, int timeout_ms) {
  QByteArray out = raw_pending_.left(max_bytes);
  raw_pending_.remove(0, out.size());
  if (out.isEmpty()) {
    receive(timeout_ms, out, max_bytes);
  }
  return out;
}

HttpResponse RawHttpClient::exchange(int port, const QByteArray& request, int timeout_ms,
                                     const ReadOptions& options) {
  RawHttpClient client;
  if (!client.connect(port, QStringLiteral("127.0.0.1"), timeout_ms)) {
    HttpResponse failed;
    failed.error = QStringLiteral("connect to %1: %2").arg(port).arg(client.lastError());
    return failed;
  }
  if (!client.send(request, timeout_ms)) {
    HttpResponse failed;
    failed.error = QStringLiteral("send: %1").arg(client.lastError());
    return failed;
  }
  return client.readResponse(timeout_ms, options);
}

QByteArray buildRequest(const QByteArray& method, const QByteArray& target,
                        const QList<QPair<QByteArray, QByteArray>>& headers, const QByteArray& body,
                        const QByteArray& host) {
  QByteArray request = method + ' ' + target + " HTTP/1.1\r\n";
  bool has_host = false;
  bool has_length = false;
  for (const auto& [name, value] : headers) {
    has_host = has_host || name.compare("Host", Qt::CaseInsensitive) == 0;
    has_length = has_length || name.compare("Content-Length", Qt::CaseInsensitive) == 0 ||
                 name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0;
  }
  if (!has_host) {
    request += "Host: " + host + "\r\n";
  }
  for (const auto& [name, value] : headers) {
    request += name + ": " + value + "\r\n";
  }
  if (!body.isEmpty() && !has_length) {
    request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
  }
  request += "\r\n";
  request += body;
  return request;
}

}  // namespace sluice::test
