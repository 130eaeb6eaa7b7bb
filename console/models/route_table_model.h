#pragma once
// The node's routes (from `routes.list`) in match order: name, match, target (upstream, fixed answer
// or status page), cache policy, rate limits. Also gives the per-route links the stats feed needs.
// Filled whole (a reset). GUI thread.

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>

#include "console/models/snapshot_sample.h"

namespace sluice::console {

class RouteTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { Name, Match, Target, Cache, RateLimits, ColumnCount };

  using QAbstractTableModel::QAbstractTableModel;

  void setRoutes(const QJsonArray& routes);  // a `routes.list` result's `routes`
  QStringList names() const;
  RouteLinks links() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  QList<QJsonObject> routes_;
};

}  // namespace sluice::console
