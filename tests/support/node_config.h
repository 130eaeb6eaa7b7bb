#pragma once
// Small builders for the inline YAML configs of integration tests. Every config they make is private
// to its node: listener `plain` on 127.0.0.1:0, admin_http on 127.0.0.1:0, the control socket in
// the node's temp dir (`${TMP}`, see NodeProcess), so tests can run in parallel.

#include <QString>
#include <QStringList>

namespace sluice::test {

struct NodeConfigOptions {
  int workers = 1;
  QString access_log = QStringLiteral("off");  // "off", "stdout" or a path (may use ${TMP})
  bool admin_http = true;
};

// The common head (workers, listeners, control, log) followed by `sections` (upstreams:, routes:,
// limits: ... written as top-level YAML).
QString nodeConfig(const QString& sections, const NodeConfigOptions& options = {});

// "127.0.0.1:PORT" for a port that nothing listens on (bound then released; good enough for tests).
QString unusedAddress();
int unusedPort();

}  // namespace sluice::test
