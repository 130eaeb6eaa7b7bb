// writeFileAtomically: the new text or the old file, mode and owner kept, no temp file left on error.

#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/config/config_history.h"
#include "tests/unit/config/forked.h"

using sluice::config::writeFileAtomically;

namespace {

std::string readAll(const std::string& path) {
  QFile file(QString::fromStdString(path));
  if (!file.open(QIODevice::ReadOnly)) {
    return "<unreadable>";
  }
  return file.readAll().toStdString();
}

// Every entry of `dir` but . and .., hidden ones included (temp files start with a dot).
QStringList entries(const QString& dir) {
  return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

}  // namespace

class AtomicFileTest : public QObject {
  Q_OBJECT

 private slots:
  void writesANewFileWithMode0640() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("sluice.yaml").toStdString();
    std::string error;
    QVERIFY2(writeFileAtomically(path, "workers: 2\n", error), error.c_str());
    QCOMPARE(QString::fromStdString(readAll(path)), QStringLiteral("workers: 2\n"));
    struct stat st {};
    QCOMPARE(::stat(path.c_str(), &st), 0);
    QCOMPARE(st.st_mode & 07777, mode_t(0640));
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("sluice.yaml")});
  }

  void keepsModeAndOwnerOfTheOldFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("sluice.yaml").toStdString();
    std::string error;
    QVERIFY(writeFileAtomically(path, "old\n", error));
    QCOMPARE(::chmod(path.c_str(), 0604), 0);
    const bool root = ::geteuid() == 0;
    if (root) {
      QCOMPARE(::chown(path.c_str(), 4321, 8765), 0);
    }
    QVERIFY2(writeFileAtomically(path, "new\n", error), error.c_str());
    QCOMPARE(QString::fromStdString(readAll(path)), QStringLiteral("new\n"));
    struct stat st {};
    QCOMPARE(::stat(path.c_str(), &st), 0);
    QCOMPARE(st.st_mode & 07777, mode_t(0604));
    QCOMPARE(st.st_uid, root ? uid_t(4321) : ::geteuid());
    QCOMPARE(st.st_gid, root ? gid_t(8765) : ::getegid());
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("sluice.yaml")});
  }

  void aSymlinkStaysASymlink() {
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkdir("real"));
    const std::string target = dir.filePath("real/sluice.yaml").toStdString();
    const std::string link = dir.filePath("sluice.yaml").toStdString();
    std::string error;
    QVERIFY(writeFileAtomically(target, "old\n", error));
    QCOMPARE(::symlink(target.c_str(), link.c_str()), 0);
    QVERIFY2(writeFileAtomically(link, "new\n", error), error.c_str());
    struct stat st {};
    QCOMPARE(::lstat(link.c_str(), &st), 0);
    QVERIFY(S_ISLNK(st.st_mode));
    QCOMPARE(QString::fromStdString(readAll(target)), QStringLiteral("new\n"));
    QCOMPARE(entries(dir.filePath("real")), QStringList{QStringLiteral("sluice.yaml")});
  }

  void missingFolderIsAnError() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("nope/sluice.yaml").toStdString();
    std::string error;
    QVERIFY(!writeFileAtomically(path, "x\n", error));
    QCOMPARE(QString::fromStdString(error),
             QStringLiteral("cannot write %1: No such file or directory").arg(QString::fromStdString(path)));
  }

  void readOnlyFolderIsAnErrorAndLeavesNothing() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("sluice.yaml").toStdString();
    std::string error;
    QVERIFY(writeFileAtomically(path, "old\n", error));
    QCOMPARE(::chmod(dir.path().toUtf8().constData(), 0555), 0);
    const std::optional<std::string> child = sluice::test::runForked([&] {
      if (!sluice::test::dropRoot()) {
        return std::string("cannot drop root");
      }
      std::string e;
      return writeFileAtomically(path, "new\n", e) ? std::string("written") : e;
    });
    ::chmod(dir.path().toUtf8().constData(), 0755);
    QVERIFY(child);
    QCOMPARE(QString::fromStdString(*child),
             QStringLiteral("cannot write %1: Permission denied").arg(QString::fromStdString(path)));
    QCOMPARE(QString::fromStdString(readAll(path)), QStringLiteral("old\n"));
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("sluice.yaml")});
  }

  // A full disk, as far as one process can make it: a file size limit makes write() fail with EFBIG
  // part-way, like ENOSPC would.
  void fileSizeLimitKeepsTheOldFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("sluice.yaml").toStdString();
    std::string error;
    QVERIFY(writeFileAtomically(path, "old\n", error));
    const std::string big(256 * 1024, 'x');
    const std::optional<std::string> child = sluice::test::runForked([&] {
      ::signal(SIGXFSZ, SIG_IGN);
      const rlimit limit{64 * 1024, 64 * 1024};
      ::setrlimit(RLIMIT_FSIZE, &limit);
      std::string e;
      return writeFileAtomically(path, big, e) ? std::string("written") : e;
    });
    QVERIFY(child);
    QCOMPARE(QString::fromStdString(*child),
             QStringLiteral("cannot write %1: File too large").arg(QString::fromStdString(path)));
    QCOMPARE(QString::fromStdString(readAll(path)), QStringLiteral("old\n"));
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("sluice.yaml")});
  }

  // The real thing when the machine allows it: a 64 KiB tmpfs in a private mount namespace.
  void fullTmpfsKeepsTheOldFile() {
    QTemporaryDir dir;
    const std::string mount_point = dir.path().toStdString();
    const std::string path = mount_point + "/sluice.yaml";
    const std::string big(256 * 1024, 'x');
    const std::optional<std::string> child = sluice::test::runForked([&] {
      if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
          ::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=64k") != 0) {
        return std::string("skip");
      }
      std::string e;
      if (!writeFileAtomically(path, "old\n", e)) {
        return "first write: " + e;
      }
      const bool written = writeFileAtomically(path, big, e);
      const std::string after = readAll(path);
      const QStringList left = entries(QString::fromStdString(mount_point));
      return (written ? std::string("written") : e) + "|" + after + "|" + left.join(',').toStdString();
    });
    QVERIFY(child);
    if (*child == "skip") {
      QSKIP("no private mount namespace here (needs root and unshare)");
    }
    QCOMPARE(QString::fromStdString(*child),
             QStringLiteral("cannot write %1: No space left on device|old\n|sluice.yaml")
                 .arg(QString::fromStdString(path)));
  }
};

QTEST_GUILESS_MAIN(AtomicFileTest)
#include "atomic_file_test.moc"
