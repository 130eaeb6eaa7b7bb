#include "console/models/upstream_table_model.h"

#include <QBrush>
#include <QColor>
#include <QHash>

namespace sluice::console {

void UpstreamTableModel::setUpstreams(const QJsonArray& upstreams) {
  beginResetModel();
  rows_.clear();
  for (const QJsonValue& value : upstreams) {
    const QJsonObject upstream = value.toObject();
    for (const QJsonValue& server_value : upstream.value(QLatin1String("servers")).toArray()) {
      const QJsonObject server = server_value.toObject();
      Row row;
      row.upstream = upstream.value(QLatin1String("name")).toString();
      row.balance = upstream.value(QLatin1String("balance")).toString();
      row.server = server.value(QLatin1String("address")).toString();
      row.drained = server.value(QLatin1String("drained")).toBool();
      row.down = server.value(QLatin1String("down")).toBool();
      row.requests_total = server.value(QLatin1String("requests_total")).toInteger();
      row.failures_total = server.value(QLatin1String("failures_total")).toInteger();
      rows_.append(row);
    }
  }
  endResetModel();
}

void UpstreamTableModel::applySnapshot(const QJsonObject& snapshot) {
  QHash<QString, QJsonObject> by_name;  // "api/127.0.0.1:9001"
  for (const QJsonValue& value : snapshot.value(QLatin1String("upstreams")).toArray()) {
    const QJsonObject server = value.toObject();
    by_name.insert(server.value(QLatin1String("name")).toString(), server);
  }
  for (int i = 0; i < rows_.size(); ++i) {
    Row& row = rows_[i];
    const auto it = by_name.constFind(row.upstream + QLatin1Char('/') + row.server);
    if (it == by_name.cend()) {
      continue;
    }
    row.requests_per_s = it->value(QLatin1String("requests_per_s")).toDouble();
    row.requests_total = it->value(QLatin1String("requests_total")).toInteger(row.requests_total);
    row.failures_total = it->value(QLatin1String("failures_total")).toInteger(row.failures_total);
    row.down = it->value(QLatin1String("down")).toBool();
    row.drained = it->value(QLatin1String("drained")).toBool(row.drained);
    emit dataChanged(index(i, State), index(i, Failures));
  }
}

void UpstreamTableModel::setDrained(const QString& upstream, const QString& server, bool drained) {
  for (int i = 0; i < rows_.size(); ++i) {
    if (rows_[i].upstream == upstream && rows_[i].server == server) {
      rows_[i].drained = drained;
      emit dataChanged(index(i, State), index(i, State));
    }
  }
}

const UpstreamTableModel::Row* UpstreamTableModel::row(int index) const {
  return index >= 0 && index < rows_.size() ? &rows_.at(index) : nullptr;
}

int UpstreamTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int UpstreamTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant UpstreamTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const Row& row = rows_.at(index.row());
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case Upstream:
        return row.upstream;
      case Server:
        return row.server;
      case Balance:
        return row.balance;
      case State:
        return row.drained ? tr("drained") : row.down ? tr("down") : tr("up");
      case RequestsPerS:
        return QString::number(row.requests_per_s, 'f', 1);
      case Requests:
        return QString::number(row.requests_total);
      case Failures:
        return QString::number(row.failures_total);
      default:
        return {};
    }
  }
  if (role == Qt::ForegroundRole && index.column() == State) {
    return QBrush(row.drained ? QColor(0x80, 0x80, 0x80)
                  : row.down  ? QColor(0xc0, 0x20, 0x20)
                              : QColor(0x20, 0x80, 0x20));
  }
  if (role == Qt::TextAlignmentRole && index.column() >= RequestsPerS) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  }
  return {};
}

QVariant UpstreamTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return {};
  }
  switch (section) {
    case Upstream:
      return tr("Upstream");
    case Server:
      return tr("Server");
    case Balance:
      return tr("Balance");
    case State:
      return tr("State");
    case RequestsPerS:
      return tr("Req/s");
    case Requests:
      return tr("Requests");
    case Failures:
      return tr("Failures");
    default:
      return {};
  }
}

}  // namespace sluice::console
