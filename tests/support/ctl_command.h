#pragma once
// Runs the real `sluice ctl --socket SOCKET ARGS...` against a test's node (its control socket is
// `${TMP}/control.sock`, see node_config.h) and, for --json output, parses stdout.

#include <QJsonDocument>
#include <QStringList>

#include "tests/support/node_process.h"
#include "tests/support/run_command.h"

namespace sluice::test {

QString controlSocketOf(const NodeProcess& node);
CommandResult runCtl(const NodeProcess& node, const QStringList& args, int timeout_ms = 15000);
// stdout as one JSON document (a null document when it is not one).
QJsonDocument jsonOut(const CommandResult& result);

}  // namespace sluice::test
