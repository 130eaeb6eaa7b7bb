#pragma once
// Connecting to a Unix socket as another user, for the control socket's permission tests: forks a
// child that drops to the given uid / gid / supplementary groups (the test must run as root), then
// connects, sends a line and reads what comes back until the node closes or the timeout passes.
// The child only makes async-signal-safe calls, so forking a threaded test process is fine.

#include <sys/types.h>

#include <QByteArray>
#include <QString>
#include <vector>

namespace sluice::test {

struct ForeignIdentity {
  uid_t uid = 65534;
  gid_t gid = 65534;
  std::vector<gid_t> groups;  // supplementary; none by default
};

struct ForeignAttempt {
  bool ran = false;          // the child could become the user and report back
  bool connected = false;
  int connect_errno = 0;     // when !connected, e.g. EACCES
  QByteArray received;       // what the node sent (up to 16 KiB)
  bool closed = false;       // the node closed the connection within the timeout
  QString error;             // why !ran
};

ForeignAttempt connectAs(const QString& path, const ForeignIdentity& identity, const QByteArray& line,
                         int timeout_ms = 3000);

}  // namespace sluice::test
