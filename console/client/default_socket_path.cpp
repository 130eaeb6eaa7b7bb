#include "console/client/default_socket_path.h"

#include <unistd.h>

#include <QDir>

namespace sluice::console {

QString defaultSocketPath() {
  const uid_t uid = ::geteuid();
  if (uid == 0) {
    return QStringLiteral("/run/sluice/control.sock");
  }
  const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
  if (!runtime.isEmpty()) {
    return QDir(runtime).filePath(QStringLiteral("sluice/control.sock"));
  }
  return QStringLiteral("/tmp/sluice-%1/control.sock").arg(uid);
}

}  // namespace sluice::console
