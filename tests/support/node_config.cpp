#include "tests/support/node_config.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sluice::test {

QString nodeConfig(const QString& sections, const NodeConfigOptions& options) {
  QString yaml = QStringLiteral(
                     "workers: %1\n"
                     "shutdown_grace: 3s\n"  // the harness stops nodes with SIGTERM after each test
                     "listeners:\n"
                     "  - name: plain\n"
                     "    address: 127.0.0.1:0\n"
                     "control:\n"
                     "  socket: ${TMP}/control.sock\n")
                     .arg(options.workers);
  if (options.admin_http) {
    yaml += QStringLiteral("  admin_http: 127.0.0.1:0\n");
  }
  yaml += QStringLiteral("log:\n  access_log: \"%1\"\n").arg(options.access_log);
  return yaml + sections;
}

int unusedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    socklen_t length = sizeof(addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

QString unusedAddress() {
  return QStringLiteral("127.0.0.1:%1").arg(unusedPort());
}

}  // namespace sluice::test
