#pragma once
// The Upstreams page: every upstream server with its state and traffic (live from the stats
// stream), Drain / Undrain for the selected server (`upstreams.drain` / `upstreams.undrain`), and the
// node's routes below. Uses the injected connection; owns its widgets and the upstream model (the
// route model is shared with the dashboard). GUI thread.

#include <QJsonObject>
#include <QWidget>

#include "console/client/control_connection.h"

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace sluice::console {

class RouteTableModel;
class UpstreamTableModel;

class UpstreamsPage : public QWidget {
  Q_OBJECT

 public:
  UpstreamsPage(ControlConnection* connection, RouteTableModel* routes, QWidget* parent = nullptr);

  void refresh();
  // Live columns from a stats snapshot (the window feeds it the stats feed's batches, ~4 a second).
  void applySnapshot(const QJsonObject& snapshot);

  UpstreamTableModel* model() const { return model_; }
  QTableView* table() const { return table_; }
  QPushButton* drainButton() const { return drain_; }
  QPushButton* undrainButton() const { return undrain_; }
  QString statusText() const;

 private:
  void setDrained(bool drained);
  void updateButtons();
  int selectedRow() const;  // in the model (not the sorted view); -1 when none

  ControlConnection* connection_;
  UpstreamTableModel* model_;
  QSortFilterProxyModel* proxy_;
  QTableView* table_;
  QTableView* routes_table_;
  QPushButton* drain_;
  QPushButton* undrain_;
  QPushButton* refresh_;
  QLabel* status_;
  QJsonObject latest_;  // the newest snapshot, for rows that arrive after it
};

}  // namespace sluice::console
