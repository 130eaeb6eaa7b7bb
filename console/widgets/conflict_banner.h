#pragma once
// The strip shown above a policy page when an edit met a newer config on the node: "The config
// changed on the node (version N)" with a Reload button. GUI thread.

#include <QFrame>

class QLabel;
class QPushButton;

namespace sluice::console {

class ConflictBanner : public QFrame {
  Q_OBJECT

 public:
  explicit ConflictBanner(QWidget* parent = nullptr);
  // `version` < 0 while the node's version is still being asked for.
  void showConflict(qint64 version);
  QString text() const;
  QPushButton* reloadButton() const { return reload_; }

 signals:
  void reloadRequested();

 private:
  QLabel* label_;
  QPushButton* reload_;
};

}  // namespace sluice::console
