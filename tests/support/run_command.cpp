#include "tests/support/run_command.h"

#include <QProcess>

#include "tests/support/test_env.h"

namespace sluice::test {

CommandResult runCommand(const QString& program, const QStringList& args, int timeout_ms) {
  CommandResult result;
  QProcess process;
  process.setStandardInputFile(QProcess::nullDevice());
  process.start(program, args);
  if (!process.waitForStarted(5000)) {
    result.err = process.errorString();
    return result;
  }
  if (!process.waitForFinished(timeout_ms)) {
    process.kill();
    process.waitForFinished(5000);
  } else {
    result.finished = true;
    result.exit_code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
  }
  result.out = QString::fromUtf8(process.readAllStandardOutput());
  result.err = QString::fromUtf8(process.readAllStandardError());
  return result;
}

CommandResult runSluice(const QStringList& args, int timeout_ms) {
  return runCommand(sluiceBinary(), args, timeout_ms);
}

}  // namespace sluice::test
