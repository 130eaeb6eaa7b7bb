#pragma once
// Upstream servers as a table, one row per server: upstream, address, balance, state (up / down /
// drained), requests per second and totals. The rows come from `upstreams.list` (a reset); the
// live columns follow each stats snapshot's `upstreams` (dataChanged on those cells only, so a
// selection survives). GUI thread.

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>

namespace sluice::console {

class UpstreamTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { Upstream, Server, Balance, State, RequestsPerS, Requests, Failures, ColumnCount };

  struct Row {
    QString upstream;
    QString server;
    QString balance;
    bool drained = false;
    bool down = false;
    double requests_per_s = 0;
    qint64 requests_total = 0;
    qint64 failures_total = 0;
  };

  using QAbstractTableModel::QAbstractTableModel;

  void setUpstreams(const QJsonArray& upstreams);   // an `upstreams.list` result's `upstreams`
  void applySnapshot(const QJsonObject& snapshot);  // a stats snapshot
  void setDrained(const QString& upstream, const QString& server, bool drained);
  const Row* row(int index) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  QList<Row> rows_;
};

}  // namespace sluice::console
