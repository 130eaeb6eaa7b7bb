// loadConfigFile: reading from disk, and the errors of a file that cannot be read.

#include <QTemporaryDir>
#include <QtTest>

#include "engine/config/config_loader.h"

using sluice::config::loadConfigFile;
using sluice::config::LoadResult;

namespace {

std::string writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& content) {
  QFile file(dir.filePath(name));
  if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size()) {
    qFatal("cannot write %s", qPrintable(file.fileName()));
  }
  return file.fileName().toStdString();
}

QStringList errorStrings(const LoadResult& result) {
  QStringList out;
  for (const auto& error : result.errors) {
    out << QString::fromStdString(error.str());
  }
  return out;
}

}  // namespace

class ConfigFileTest : public QObject {
  Q_OBJECT

 private slots:
  void loadsAFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path =
        writeFile(dir, "sluice.yaml", "listeners:\n  - name: plain\n    address: 127.0.0.1:0\n");
    LoadResult result = loadConfigFile(path);
    QVERIFY(result.ok());
    QCOMPARE(result.config->source, path);
    QCOMPARE(result.config->listeners[0].where.file, path);
    QCOMPARE(result.config->listeners[0].where.line, 2);
  }

  void citesThePathInErrors() {
    QTemporaryDir dir;
    const std::string path =
        writeFile(dir, "bad.yaml", "listeners:\n  - name: plain\n    addres: 127.0.0.1:0\n");
    LoadResult result = loadConfigFile(path);
    QVERIFY(!result.ok());
    QCOMPARE(
        errorStrings(result),
        (QStringList{QString::fromStdString(path + ":2: listener 'plain': missing required key 'address'"),
                     QString::fromStdString(path + ":3: unknown key 'addres' (did you mean 'address'?)")}));
  }

  void missingFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("nope.yaml").toStdString();
    LoadResult result = loadConfigFile(path);
    QVERIFY(!result.ok());
    QCOMPARE(errorStrings(result),
             QStringList{QString::fromStdString(path + ": cannot read: No such file or directory")});
    QCOMPARE(result.errors[0].line, 0);
  }

  void directoryIsNotAFile() {
    QTemporaryDir dir;
    LoadResult result = loadConfigFile(dir.path().toStdString());
    QCOMPARE(errorStrings(result), QStringList{dir.path() + ": cannot read: Is a directory"});
  }

  void emptyFile() {
    QTemporaryDir dir;
    const std::string path = writeFile(dir, "empty.yaml", "");
    QCOMPARE(errorStrings(loadConfigFile(path)),
             QStringList{
                 QString::fromStdString(path + ": the config is empty: at least one listener is required")});
  }
};

QTEST_APPLESS_MAIN(ConfigFileTest)
#include "config_file_test.moc"
