// ConfigHistory: versions that only grow, the last N kept on disk, read back after a restart.

#include "engine/config/config_history.h"

#include <sys/stat.h>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/config/history_header.h"
#include "tests/unit/config/forked.h"

using namespace sluice::config;

namespace {

QStringList entries(const QString& dir) {
  return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

void writeFile(const QString& path, const QByteArray& content) {
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size()) {
    qFatal("cannot write %s", qPrintable(path));
  }
}

QByteArray readFile(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

std::string textNumber(int i) {
  return "workers: " + std::to_string(i) + "\n";
}

}  // namespace

class ConfigHistoryTest : public QObject {
  Q_OBJECT

 private slots:
  void adoptKeepsTheVersionOfTheSameText() {
    QTemporaryDir dir;
    const QString folder = dir.filePath("data/config-history");
    ConfigHistory history(folder.toStdString());
    std::string error;
    QCOMPARE(history.adopt("a: 1\n", "start-up", error), uint64_t(1));
    QVERIFY2(error.empty(), error.c_str());
    QCOMPARE(history.adopt("a: 1\n", "SIGHUP", error), uint64_t(1));
    QCOMPARE(history.adopt("a: 2\n", "SIGHUP", error), uint64_t(2));
    QCOMPARE(history.newest(), uint64_t(2));
    QCOMPARE(entries(folder), (QStringList{"v1.yaml", "v2.yaml"}));
    struct stat st {};
    QCOMPARE(::stat(folder.toUtf8().constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0750));
    // The stored file: the header, then the text exactly.
    const QByteArray stored = readFile(folder + "/v2.yaml");
    QVERIFY2(stored.startsWith("# sluice config v2 "), stored.constData());
    QVERIFY2(stored.endsWith(" uid=- SIGHUP\na: 2\n"), stored.constData());
    QCOMPARE(QString::fromStdString(*history.text(1)), QStringLiteral("a: 1\n"));
  }

  void recordStoresUidAndWhatAndKeepsTheLastN() {
    QTemporaryDir dir;
    ConfigHistory history(dir.path().toStdString(), 20);
    std::string error;
    QCOMPARE(history.adopt(textNumber(0), "start-up", error), uint64_t(1));
    for (int i = 1; i < 25; ++i) {
      ConfigVersionInfo info{uint64_t(i + 1), std::chrono::system_clock::now(), uid_t(1000),
                             "rate_limits.set p" + std::to_string(i)};
      QVERIFY2(history.record(textNumber(i), info, error), error.c_str());
    }
    const std::vector<ConfigVersionInfo> list = history.list();
    QCOMPARE(list.size(), size_t(20));
    QCOMPARE(list.front().version, uint64_t(25));
    QCOMPARE(list.back().version, uint64_t(6));
    QCOMPARE(list.front().uid.value_or(0), uid_t(1000));
    QCOMPARE(QString::fromStdString(list.front().what), QStringLiteral("rate_limits.set p24"));
    QVERIFY(!history.text(5));
    QCOMPARE(QString::fromStdString(*history.text(6)), QString::fromStdString(textNumber(5)));
    QCOMPARE(entries(dir.path()).size(), 20);
    QVERIFY(!entries(dir.path()).contains("v5.yaml"));
    QVERIFY(entries(dir.path()).contains("v25.yaml"));
    // Versions only grow.
    ConfigVersionInfo old{25, std::chrono::system_clock::now(), std::nullopt, "x"};
    QVERIFY(!history.record("x", old, error));
    QVERIFY2(error.find("not newer") != std::string::npos, error.c_str());
  }

  void aRestartReadsThemBack() {
    QTemporaryDir dir;
    const auto when = std::chrono::system_clock::from_time_t(1796061731);  // 2026-11-30T18:02:11Z
    {
      ConfigHistory history(dir.path().toStdString());
      std::string error;
      history.adopt("a: 1\n", "start-up", error);
      QVERIFY(history.record("a: 2\n# two\n",
                             ConfigVersionInfo{2, when, uid_t(1000), "rate_limits.set per_ip"}, error));
      QVERIFY(history.record("a: 3\n", ConfigVersionInfo{3, when, std::nullopt, "SIGHUP"}, error));
    }
    QCOMPARE(QString::fromUtf8(readFile(dir.filePath("v2.yaml"))),
             QStringLiteral(
                 "# sluice config v2 2026-11-30T18:02:11Z uid=1000 rate_limits.set per_ip\na: 2\n# two\n"));
    ConfigHistory again(dir.path().toStdString());
    const std::vector<ConfigVersionInfo> list = again.list();
    QCOMPARE(list.size(), size_t(3));
    QCOMPARE(list[1].version, uint64_t(2));
    QVERIFY(list[1].time == when);
    QCOMPARE(list[1].uid.value_or(0), uid_t(1000));
    QCOMPARE(QString::fromStdString(list[1].what), QStringLiteral("rate_limits.set per_ip"));
    QVERIFY(!list[0].uid);
    QCOMPARE(QString::fromStdString(*again.text(2)), QStringLiteral("a: 2\n# two\n"));
    std::string error;
    QCOMPARE(again.adopt("a: 3\n", "start-up", error), uint64_t(3));  // same text: same version
    QCOMPARE(again.adopt("a: 4\n", "start-up", error), uint64_t(4));
  }

  void filesThatDoNotParseAreIgnored() {
    QTemporaryDir dir;
    writeFile(dir.filePath("v1.yaml"), "# sluice config v1 2026-11-30T18:02:11Z uid=- start-up\na: 1\n");
    writeFile(dir.filePath("v2.yaml"), "a: 2\n");  // no header
    writeFile(dir.filePath("v3.yaml"),
              "# sluice config v7 2026-11-30T18:02:11Z uid=- SIGHUP\na: 3\n");                // wrong number
    writeFile(dir.filePath("v4.yaml"), "# sluice config v4 yesterday uid=- SIGHUP\na: 4\n");  // bad time
    writeFile(dir.filePath("v5.yaml"),
              "# sluice config v5 2026-11-30T18:02:11Z uid=x SIGHUP\na: 5\n");  // bad uid
    writeFile(dir.filePath("notes.txt"), "hello\n");
    writeFile(dir.filePath(".v6.yaml.tmp-abcdef"), "half");  // left by a crash: removed
    ConfigHistory history(dir.path().toStdString());
    const std::vector<ConfigVersionInfo> list = history.list();
    QCOMPARE(list.size(), size_t(1));
    QCOMPARE(list[0].version, uint64_t(1));
    QVERIFY(!QFile::exists(dir.filePath(".v6.yaml.tmp-abcdef")));
    std::string error;
    QCOMPARE(history.adopt("a: 9\n", "start-up", error), uint64_t(2));
    QVERIFY2(error.empty(), error.c_str());
  }

  void inMemoryWithoutAFolder() {
    ConfigHistory history("");
    std::string error;
    QCOMPARE(history.adopt("a: 1\n", "start-up", error), uint64_t(1));
    QVERIFY(history.record("a: 2\n", ConfigVersionInfo{2, {}, uid_t(0), "x"}, error));
    QCOMPARE(history.list().size(), size_t(2));
    QCOMPARE(QString::fromStdString(*history.text(2)), QStringLiteral("a: 2\n"));
  }

  void forgetTakesBackOnlyTheNewest() {
    QTemporaryDir dir;
    ConfigHistory history(dir.path().toStdString());
    std::string error;
    history.adopt("a: 1\n", "start-up", error);
    QVERIFY(history.record("a: 2\n", ConfigVersionInfo{2, {}, uid_t(0), "x"}, error));
    QVERIFY(!history.forget(1, error));
    QVERIFY(history.forget(2, error));
    QCOMPARE(history.newest(), uint64_t(1));
    QCOMPARE(entries(dir.path()), QStringList{"v1.yaml"});
  }

  void writeErrorOnAReadOnlyFolder() {
    QTemporaryDir dir;
    const std::string folder = dir.path().toStdString();
    {
      ConfigHistory history(folder);
      std::string error;
      history.adopt("a: 1\n", "start-up", error);
    }
    QCOMPARE(::chmod((folder + "/v1.yaml").c_str(), 0644), 0);  // readable, not writable, for the child
    QCOMPARE(::chmod(folder.c_str(), 0555), 0);
    const std::optional<std::string> child = sluice::test::runForked([&] {
      if (!sluice::test::dropRoot()) {
        return std::string("cannot drop root");
      }
      ConfigHistory history(folder);
      std::string error;
      if (history.record("a: 2\n", ConfigVersionInfo{2, {}, uid_t(0), "x"}, error)) {
        return std::string("recorded");
      }
      // Nothing half-done: the history still ends at version 1.
      return error + "|" + std::to_string(history.newest());
    });
    ::chmod(folder.c_str(), 0755);
    QVERIFY(child);
    QCOMPARE(QString::fromStdString(*child),
             QStringLiteral("cannot write %1/v2.yaml: Permission denied|1").arg(dir.path()));
    QCOMPARE(entries(dir.path()), QStringList{"v1.yaml"});
  }

  void adoptStillNumbersTheTextWhenTheDiskFails() {
    QTemporaryDir dir;
    writeFile(dir.filePath("file"), "x");
    ConfigHistory history(dir.filePath("file/history").toStdString());  // a folder under a file
    std::string error;
    QCOMPARE(history.adopt("a: 1\n", "start-up", error), uint64_t(1));
    QVERIFY2(error.find("cannot create") != std::string::npos, error.c_str());
    error.clear();
    QCOMPARE(history.adopt("a: 1\n", "SIGHUP", error), uint64_t(1));
  }

  void headerRoundTrip() {
    ConfigVersionInfo info{8, std::chrono::system_clock::from_time_t(1796061731), std::nullopt, "two\nlines"};
    const std::string line = detail::formatHistoryHeader(info);
    QCOMPARE(QString::fromStdString(line),
             QStringLiteral("# sluice config v8 2026-11-30T18:02:11Z uid=- two lines\n"));
    std::optional<ConfigVersionInfo> back =
        detail::parseHistoryHeader(std::string_view(line).substr(0, line.size() - 1));
    QVERIFY(back);
    QCOMPARE(back->version, uint64_t(8));
    QVERIFY(back->time == info.time);
    QVERIFY(!back->uid);
    QCOMPARE(QString::fromStdString(back->what), QStringLiteral("two lines"));
    QVERIFY(!detail::parseHistoryHeader("# sluice config v0 2026-11-30T18:02:11Z uid=- x"));
    QVERIFY(!detail::parseHistoryHeader("# sluice config v3 2026-13-30T18:02:11Z uid=- x"));
  }
};

QTEST_GUILESS_MAIN(ConfigHistoryTest)
#include "config_history_test.moc"
