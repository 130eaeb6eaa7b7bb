#pragma once
// Runs `sluice serve --config FILE` for one test. The YAML is written to a private temp dir, where
// `${TMP}` in it is replaced by that dir's path (for access logs and the control socket). The node's
// stdout and stderr go to a log file in the same dir (a file, not a pipe, so a chatty node can never
// block on a full pipe while the test is busy elsewhere); output() reads it. Ports are learnt from
// the node's log lines `listener NAME listening on HOST:PORT`, `admin_http listening on HOST:PORT`,
// and readiness from the line containing `ready:`. Used from the test thread only.

#include <QHash>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace sluice::test {

class NodeProcess {
 public:
  NodeProcess();
  ~NodeProcess();  // kills the node if it still runs
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  // Writes the config, starts the node and waits (up to timeout_ms) for `ready:`. False if the node
  // exited or never got ready; output() tells why.
  bool start(const QString& yaml, int timeout_ms = 10000);
  // start() in two steps, for tests that watch the start-up itself: launch() writes the config and
  // starts the process without waiting; waitReady() waits for `ready:` as start() does.
  bool launch(const QString& yaml);
  bool waitReady(int timeout_ms = 10000);
  // Sets (or, with a null value, removes) a variable in the node's environment for the next start().
  // By default the node does not inherit NOTIFY_SOCKET, WATCHDOG_* or JOURNAL_STREAM.
  void setEnvironment(const QString& name, const QString& value);
  // Rewrites the config file in place (for SIGHUP reload tests); `${TMP}` is substituted as in start().
  bool writeConfig(const QString& yaml);

  int port(const QString& listener) const;  // -1 if unknown
  int adminPort() const;                    // -1 if unknown
  QString output() const;                   // everything the node has logged so far
  // Polls output() until it contains `text` (true) or the timeout passes (false).
  bool waitForOutput(const QString& text, int timeout_ms = 5000) const;
  qint64 pid() const;
  QString configPath() const;
  QString tempPath() const;  // the private dir; files put here are removed with the node
  QString dataPath() const;  // the node's data dir (SLUICE_DATA_DIR): tempPath() + "/data"
  bool isRunning() const;

  bool sendSignal(int signal);
  int waitForExit(int timeout_ms);  // exit code; -1 on timeout or crash (a signal)
  int stop();                       // SIGTERM, wait 15 s, then SIGKILL; returns waitForExit's value

 private:
  void parsePorts() const;

  QTemporaryDir dir_;
  QProcess process_;
  QHash<QString, QString> environment_;  // set (or null: removed) for the node
  mutable QHash<QString, int> ports_;
  mutable int admin_port_ = -1;
};

}  // namespace sluice::test
