#include "tests/support/proc_status.h"

#include <QFile>

namespace sluice::test {

qint64 procStatusKb(qint64 pid, const QString& name) {
  QFile file(QStringLiteral("/proc/%1/status").arg(pid));
  if (!file.open(QIODevice::ReadOnly)) {
    return -1;
  }
  const QByteArray prefix = name.toLatin1() + ':';
  for (const QByteArray& line : file.readAll().split('\n')) {
    if (line.startsWith(prefix)) {
      const QList<QByteArray> parts = line.mid(prefix.size()).simplified().split(' ');
      return parts.isEmpty() ? -1 : parts.first().toLongLong();
    }
  }
  return -1;
}

}  // namespace sluice::test
