#pragma once
// Asks for the node's control socket path. The choice is remembered with QSettings (key
// "connection/socket"); `--socket PATH` on the command line wins over it, and the default is the
// node's own (defaultSocketPath()). GUI thread.

#include <QDialog>

class QLineEdit;

namespace sluice::console {

class ConnectDialog : public QDialog {
  Q_OBJECT

 public:
  ConnectDialog(const QString& current, QWidget* parent = nullptr);
  QString socketPath() const;
  QLineEdit* pathEdit() const { return path_; }

  // The path to use at start: `command_line` when given, else the remembered one, else the default.
  static QString initialSocketPath(const QString& command_line);
  static void remember(const QString& path);

 private:
  QLineEdit* path_;
};

}  // namespace sluice::console
