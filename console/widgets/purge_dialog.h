#pragma once
// Cache purge: by URL, by prefix, by tag, or everything (`cache.purge`). "Everything" asks again
// before it is sent. Shows the node's answer ("12 entries purged") and stays open for another.
// Non-modal to the event loop (open(), never exec() from our code). GUI thread.

#include <QDialog>

#include "console/client/control_connection.h"

class QButtonGroup;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace sluice::console {

class PurgeDialog : public QDialog {
  Q_OBJECT

 public:
  enum class Kind { Url, Prefix, Tag, All };

  PurgeDialog(ControlConnection* connection, QWidget* parent = nullptr);

  void setKind(Kind kind);
  QLineEdit* valueEdit() const { return value_; }
  QPushButton* purgeButton() const { return purge_; }
  QRadioButton* kindButton(Kind kind) const;
  QString resultText() const;

  // The params of `cache.purge` for what the dialog holds.
  QJsonObject params() const;

 private:
  void purge();
  void send(const QJsonObject& params);
  void updateState();
  Kind kind() const;

  ControlConnection* connection_;
  QButtonGroup* kinds_;
  QLineEdit* value_;
  QPushButton* purge_;
  QLabel* result_;
};

}  // namespace sluice::console
