#include "console/client/default_socket_path.h"

#include <unistd.h>

#include <QDir>
#include <QFileInfo>

namespace sluice::console {

namespace {

QString ownSocketPath(uid_t uid) {
  const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
  if (!runtime.isEmpty()) {
    return QDir(runtime).filePath(QStringLiteral("sluice/control.sock"));
  }
  return QStringLiteral("/tmp/sluice-%1/control.sock").arg(uid);
}

}  // namespace

QString defaultSocketPath() {
  const QString system = QStringLiteral("/run/sluice/control.sock");
  const uid_t uid = ::geteuid();
  if (uid == 0) {
    return system;
  }
  // An admin in group sluice attaching to the packaged service (docs/installing.md): the same rule
  // as `sluice ctl` (engine/ctl/socket_path.h).
  const QString own = ownSocketPath(uid);
  if (!QFileInfo::exists(own) && QFileInfo::exists(system)) {
    return system;
  }
  return own;
}

}  // namespace sluice::console
