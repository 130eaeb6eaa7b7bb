#include "tests/support/foreign_peer.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QDeadlineTimer>
#include <cerrno>
#include <cstring>

namespace sluice::test {
namespace {

// What the child writes to its pipe, in one write.
struct Report {
  int stage = 0;  // 1 = identity dropped, 2 = connected
  int connect_errno = 0;
  int closed = 0;
  int length = 0;
  char data[16 * 1024];
};

[[noreturn]] void child(const sockaddr_un& address, const ForeignIdentity& who, const char* line, size_t line_length,
                        int timeout_ms, int out) {
  static Report report;  // static: no big stack frame, and no allocation after fork
  if (::setgroups(who.groups.size(), who.groups.data()) != 0 || ::setgid(who.gid) != 0 || ::setuid(who.uid) != 0) {
    (void)!::write(out, &report, sizeof report);
    ::_exit(1);
  }
  report.stage = 1;
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    report.connect_errno = errno;
    (void)!::write(out, &report, sizeof report);
    ::_exit(0);
  }
  report.stage = 2;
  if (line_length > 0) {
    (void)!::send(fd, line, line_length, MSG_NOSIGNAL);
  }
  while (report.length < static_cast<int>(sizeof report.data)) {
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, timeout_ms) <= 0) {
      break;
    }
    const ssize_t n = ::recv(fd, report.data + report.length, sizeof report.data - static_cast<size_t>(report.length), 0);
    if (n <= 0) {
      report.closed = 1;  // EOF or reset
      break;
    }
    report.length += static_cast<int>(n);
  }
  (void)!::write(out, &report, sizeof report);
  ::_exit(0);
}

}  // namespace

ForeignAttempt connectAs(const QString& path, const ForeignIdentity& identity, const QByteArray& line,
                         int timeout_ms) {
  ForeignAttempt result;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const QByteArray bytes = path.toLocal8Bit();
  if (bytes.size() >= static_cast<int>(sizeof address.sun_path)) {
    result.error = QStringLiteral("path too long");
    return result;
  }
  std::memcpy(address.sun_path, bytes.constData(), static_cast<size_t>(bytes.size()));
  const QByteArray payload = line.isEmpty() ? QByteArray() : line + '\n';
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    result.error = QStringLiteral("pipe failed");
    return result;
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    child(address, identity, payload.constData(), static_cast<size_t>(payload.size()), timeout_ms, fds[1]);
  }
  ::close(fds[1]);
  if (pid < 0) {
    ::close(fds[0]);
    result.error = QStringLiteral("fork failed");
    return result;
  }
  Report report{};
  size_t got = 0;
  const QDeadlineTimer deadline(timeout_ms + 5000);
  while (got < sizeof report) {
    pollfd pfd{fds[0], POLLIN, 0};
    const qint64 left = deadline.remainingTime();
    if (::poll(&pfd, 1, left < 0 ? 0 : static_cast<int>(left)) <= 0) {
      break;
    }
    const ssize_t n = ::read(fds[0], reinterpret_cast<char*>(&report) + got, sizeof report - got);
    if (n <= 0) {
      break;
    }
    got += static_cast<size_t>(n);
  }
  ::close(fds[0]);
  int status = 0;
  if (got != sizeof report) {
    ::kill(pid, SIGKILL);
  }
  ::waitpid(pid, &status, 0);
  if (got != sizeof report || report.stage == 0) {
    result.error = got != sizeof report ? QStringLiteral("the child did not report") : QStringLiteral("setuid failed");
    return result;
  }
  result.ran = true;
  result.connected = report.stage == 2;
  result.connect_errno = report.connect_errno;
  result.closed = report.closed != 0;
  result.received = QByteArray(report.data, report.length);
  return result;
}

}  // namespace sluice::test
