#pragma once
// One headline number on the dashboard: a caption over a large value ("p99" / "3.1 ms"). GUI thread.

#include <QFrame>

class QLabel;

namespace sluice::console {

class HeadlineTile : public QFrame {
  Q_OBJECT

 public:
  HeadlineTile(const QString& caption, const QString& tooltip, QWidget* parent = nullptr);
  void setValue(const QString& value);
  QString value() const;

 private:
  QLabel* value_;
};

}  // namespace sluice::console
