#pragma once
// A page for one config section of policies (rate limits or cache policies): the table of policies
// with the routes that use them, and the form that adds or edits one. Apply sends `*.set` with the
// config version the page last read as `base_version`; Revert discards the form's edits; Delete asks
// first and sends `*.delete`. An `invalid` reply lands next to its field, a `conflict` shows the
// banner whose Reload re-reads the list (keeping the form's edits). Uses the injected connection;
// owns its widgets and model. GUI thread.

#include <QJsonObject>
#include <QWidget>

#include "console/client/control_connection.h"
#include "console/models/policy_schema.h"

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QToolBar;
class QVBoxLayout;

namespace sluice::console {

class ConflictBanner;
class PolicyForm;
class PolicyTableModel;

class PolicyPage : public QWidget {
  Q_OBJECT

 public:
  PolicyPage(const PolicySchema& schema, ControlConnection* connection, QWidget* parent = nullptr);

  // Re-reads the list (`*.list`); the form keeps unsaved edits.
  void refresh();
  // The node's config version as seen elsewhere (hello): a newer one re-reads the list, or shows the
  // banner when the form holds edits.
  void noteConfigVersion(qint64 version);

  qint64 baseVersion() const { return version_; }
  PolicyTableModel* model() const { return model_; }
  PolicyForm* form() const { return form_; }
  QTableView* table() const { return table_; }
  ConflictBanner* banner() const { return banner_; }
  QPushButton* applyButton() const { return apply_; }
  QPushButton* revertButton() const { return revert_; }
  QPushButton* newButton() const { return new_; }
  QPushButton* deleteButton() const { return delete_; }
  QString statusText() const;

 signals:
  void configVersionChanged(qint64 version);

 protected:
  QVBoxLayout* toolbarArea() const { return toolbar_area_; }
  QWidget* toolbarRow() const { return toolbar_row_; }

 private:
  void apply();
  void revert();
  void startNew();
  void confirmDelete();
  void sendDelete(const QString& name);
  void selectionChanged();
  void onConflict();
  void setStatus(const QString& text, bool error = false);
  void updateButtons();
  void selectName(const QString& name);
  int selectedRow() const;  // in the model (not the sorted view); -1 when none

  const PolicySchema& schema_;
  ControlConnection* connection_;
  PolicyTableModel* model_;
  QSortFilterProxyModel* proxy_;
  QTableView* table_;
  PolicyForm* form_;
  ConflictBanner* banner_;
  QLabel* status_;
  QLabel* version_label_;
  QPushButton* new_;
  QPushButton* delete_;
  QPushButton* refresh_;
  QPushButton* apply_;
  QPushButton* revert_;
  QVBoxLayout* toolbar_area_;
  QWidget* toolbar_row_;
  qint64 version_ = -1;
  bool busy_ = false;
  bool restoring_selection_ = false;
};

}  // namespace sluice::console
