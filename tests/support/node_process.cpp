#include "tests/support/node_process.h"

#include <signal.h>

#include <QDeadlineTimer>
#include <QFile>
#include <QRegularExpression>
#include <QThread>

#include "tests/support/test_env.h"

namespace sluice::test {

NodeProcess::NodeProcess() {
  dir_.setAutoRemove(qEnvironmentVariableIsEmpty("SLUICE_KEEP_TEST_DIRS"));
}

NodeProcess::~NodeProcess() {
  if (process_.state() != QProcess::NotRunning) {
    // A graceful stop, so that a sanitizer in the node gets to report at exit.
    process_.terminate();
    if (!process_.waitForFinished(15000)) {
      process_.kill();
      process_.waitForFinished(5000);
    }
  }
  // A sanitizer report from the node fails the test run, whichever test started it.
  const QString log = output();
  for (const char* marker : {"ERROR: AddressSanitizer", "WARNING: ThreadSanitizer", "runtime error:",
                             "ERROR: LeakSanitizer"}) {
    if (log.contains(QLatin1String(marker))) {
      qFatal("sanitizer report from the node:\n%s", qPrintable(log.right(8000)));
    }
  }
}

QString NodeProcess::configPath() const {
  return dir_.filePath(QStringLiteral("sluice.yaml"));
}

QString NodeProcess::tempPath() const {
  return dir_.path();
}

QString NodeProcess::dataPath() const {
  return dir_.filePath(QStringLiteral("data"));
}

bool NodeProcess::writeConfig(const QString& yaml) {
  QString text = yaml;
  text.replace(QStringLiteral("${TMP}"), dir_.path());
  // Write a temp file and rename, so a reload never reads a half-written file.
  const QString temp = configPath() + QStringLiteral(".tmp");
  QFile file(temp);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
    return false;
  }
  file.write(text.toUtf8());
  file.close();
  QFile::remove(configPath());
  return QFile::rename(temp, configPath());
}

void NodeProcess::setEnvironment(const QString& name, const QString& value) {
  environment_.insert(name, value);
}

bool NodeProcess::start(const QString& yaml, int timeout_ms) {
  return launch(yaml) && waitReady(timeout_ms);
}

bool NodeProcess::launch(const QString& yaml) {
  if (!dir_.isValid() || !writeConfig(yaml)) {
    return false;
  }
  process_.setProcessChannelMode(QProcess::MergedChannels);
  process_.setStandardOutputFile(dir_.filePath(QStringLiteral("node.log")));
  process_.setStandardInputFile(QProcess::nullDevice());
  // The node's data dir (config history, default cache folder) is private to the test, not the
  // machine's /var/lib/sluice or ~/.local/share/sluice shared by every node.
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert(QStringLiteral("SLUICE_DATA_DIR"), dataPath());
  // A test run from a systemd service must not have the node talk to that service's manager.
  for (const char* name : {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM"}) {
    env.remove(QLatin1String(name));
  }
  for (auto it = environment_.cbegin(); it != environment_.cend(); ++it) {
    if (it.value().isNull()) {
      env.remove(it.key());
    } else {
      env.insert(it.key(), it.value());
    }
  }
  process_.setProcessEnvironment(env);
  process_.start(sluiceBinary(), {QStringLiteral("serve"), QStringLiteral("--config"), configPath()});
  return process_.waitForStarted(5000);
}

bool NodeProcess::waitReady(int timeout_ms) {
  const QDeadlineTimer deadline(timeout_ms);
  while (!deadline.hasExpired()) {
    if (output().contains(QStringLiteral("ready:"))) {
      parsePorts();
      return true;
    }
    if (process_.waitForFinished(20)) {
      return false;
    }
  }
  return false;
}

QString NodeProcess::output() const {
  QFile file(dir_.filePath(QStringLiteral("node.log")));
  if (!file.open(QIODevice::ReadOnly)) {
    return {};
  }
  return QString::fromUtf8(file.readAll());
}

bool NodeProcess::waitForOutput(const QString& text, int timeout_ms) const {
  const QDeadlineTimer deadline(timeout_ms);
  do {
    if (output().contains(text)) {
      return true;
    }
    QThread::msleep(20);
  } while (!deadline.hasExpired());
  return output().contains(text);
}

void NodeProcess::parsePorts() const {
  static const QRegularExpression listener(QStringLiteral(R"(listener (\S+) listening on (\S+):(\d+))"));
  static const QRegularExpression admin(QStringLiteral(R"(admin_http listening on (\S+):(\d+))"));
  const QString text = output();
  for (auto it = listener.globalMatch(text); it.hasNext();) {
    const auto match = it.next();
    ports_.insert(match.captured(1), match.captured(3).toInt());
  }
  const auto match = admin.match(text);
  if (match.hasMatch()) {
    admin_port_ = match.captured(2).toInt();
  }
}

int NodeProcess::port(const QString& listener) const {
  if (!ports_.contains(listener)) {
    parsePorts();
  }
  return ports_.value(listener, -1);
}

int NodeProcess::adminPort() const {
  if (admin_port_ < 0) {
    parsePorts();
  }
  return admin_port_;
}

qint64 NodeProcess::pid() const {
  return process_.processId();
}

bool NodeProcess::isRunning() const {
  return process_.state() != QProcess::NotRunning;
}

bool NodeProcess::sendSignal(int signal) {
  const qint64 id = pid();
  return id > 0 && ::kill(static_cast<pid_t>(id), signal) == 0;
}

int NodeProcess::waitForExit(int timeout_ms) {
  if (process_.state() != QProcess::NotRunning && !process_.waitForFinished(timeout_ms)) {
    return -1;
  }
  return process_.exitStatus() == QProcess::NormalExit ? process_.exitCode() : -1;
}

int NodeProcess::stop() {
  if (process_.state() == QProcess::NotRunning) {
    return waitForExit(0);
  }
  sendSignal(SIGTERM);
  if (!process_.waitForFinished(15000)) {
    process_.kill();
    process_.waitForFinished(5000);
    return -1;
  }
  return waitForExit(0);
}

}  // namespace sluice::test
