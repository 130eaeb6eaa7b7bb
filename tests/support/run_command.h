#pragma once
// Runs a program to completion with separate stdout and stderr (for subcommands like `sluice check`).

#include <QString>
#include <QStringList>

namespace sluice::test {

struct CommandResult {
  bool finished = false;  // false: did not start, or timed out (then killed)
  int exit_code = -1;     // -1 also when it died from a signal
  QString out;
  QString err;
};

CommandResult runCommand(const QString& program, const QStringList& args, int timeout_ms = 10000);
CommandResult runSluice(const QStringList& args, int timeout_ms = 10000);

}  // namespace sluice::test
