#include "tests/support/ctl_command.h"

namespace sluice::test {

QString controlSocketOf(const NodeProcess& node) {
  return node.tempPath() + QStringLiteral("/control.sock");
}

CommandResult runCtl(const NodeProcess& node, const QStringList& args, int timeout_ms) {
  return runSluice(
      QStringList{QStringLiteral("ctl"), QStringLiteral("--socket"), controlSocketOf(node)} + args,
      timeout_ms);
}

QJsonDocument jsonOut(const CommandResult& result) {
  return QJsonDocument::fromJson(result.out.toUtf8());
}

}  // namespace sluice::test
