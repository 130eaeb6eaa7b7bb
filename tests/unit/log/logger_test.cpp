// The process log's two line formats, and how the node tells that stderr is the journal.

#include "engine/log/logger.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QTemporaryDir>
#include <QtTest>
#include <cstdlib>
#include <string>

#include "engine/log/journal_stream.h"

using namespace sluice::log;

namespace {

// Points stderr at `path` for the life of the object (restored afterwards).
class StderrTo {
 public:
  explicit StderrTo(const std::string& path) : saved_(::dup(STDERR_FILENO)) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
  }
  ~StderrTo() {
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
  }

 private:
  int saved_;
};

std::string streamOf(int fd) {
  struct stat st {};
  ::fstat(fd, &st);
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

}  // namespace

class LoggerTest : public QObject {
  Q_OBJECT

 private slots:
  void cleanup() {
    setJournalFormat(false);
    ::unsetenv("JOURNAL_STREAM");
  }

  void journalLinesCarryThePriority() {
    setJournalFormat(true);
    QCOMPARE(formatLine(Level::Debug, "d"), std::string("<7>d\n"));
    QCOMPARE(formatLine(Level::Info, "ready: 2 workers"), std::string("<6>ready: 2 workers\n"));
    QCOMPARE(formatLine(Level::Warn, "w"), std::string("<4>w\n"));
    QCOMPARE(formatLine(Level::Error, "e"), std::string("<3>e\n"));
  }

  void plainLinesCarryATimestampAndLevel() {
    const QString line = QString::fromStdString(formatLine(Level::Warn, "careful"));
    static const QRegularExpression plain(QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z warn careful\n$)"));
    QVERIFY2(plain.match(line).hasMatch(), qPrintable(line));
  }

  void journalStreamMustNameStderr() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("err")).toStdString();
    StderrTo redirect(path);
    QVERIFY(!stderrIsJournal());  // unset
    ::setenv("JOURNAL_STREAM", streamOf(STDERR_FILENO).c_str(), 1);
    QVERIFY(stderrIsJournal());
    ::setenv("JOURNAL_STREAM", streamOf(STDIN_FILENO).c_str(), 1);  // another stream
    QVERIFY(!stderrIsJournal());
    ::setenv("JOURNAL_STREAM", "garbage", 1);
    QVERIFY(!stderrIsJournal());
  }
};

QTEST_GUILESS_MAIN(LoggerTest)
#include "logger_test.moc"
