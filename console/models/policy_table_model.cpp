#include "console/models/policy_table_model.h"

#include <QBrush>
#include <QFont>
#include <QPalette>

#include "console/models/json_text.h"

namespace sluice::console {

PolicyTableModel::PolicyTableModel(const PolicySchema& schema, QObject* parent)
    : QAbstractTableModel(parent), schema_(schema) {
  for (const PolicyField& field : schema_.fields) {
    if (field.column) {
      columns_.append(&field);
    }
  }
}

void PolicyTableModel::setPolicies(const QJsonArray& policies) {
  beginResetModel();
  policies_.clear();
  for (const QJsonValue& value : policies) {
    if (value.isObject()) {
      policies_.append(value.toObject());
    }
  }
  endResetModel();
}

QJsonObject PolicyTableModel::policy(int row) const {
  return row >= 0 && row < policies_.size() ? policies_.at(row) : QJsonObject();
}

int PolicyTableModel::rowOf(const QString& name) const {
  for (int row = 0; row < policies_.size(); ++row) {
    if (policies_.at(row).value(QLatin1String("name")).toString() == name) {
      return row;
    }
  }
  return -1;
}

QStringList PolicyTableModel::names() const {
  QStringList names;
  for (const QJsonObject& policy : policies_) {
    names.append(policy.value(QLatin1String("name")).toString());
  }
  return names;
}

int PolicyTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(policies_.size());
}

int PolicyTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(columns_.size()) + 1;
}

QVariant PolicyTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const QJsonObject& policy = policies_.at(index.row());
  if (role == kPolicyRole) {
    return policy;
  }
  const bool routes_column = index.column() == columns_.size();
  const QString key = routes_column ? QStringLiteral("routes") : columns_.at(index.column())->key;
  const bool set = policy.contains(key);
  switch (role) {
    case Qt::DisplayRole:
      if (routes_column) {
        const QString routes = jsonText(policy.value(key));
        return routes.isEmpty() ? tr("(unused)") : routes;
      }
      return set ? jsonText(policy.value(key)) : columns_.at(index.column())->default_text;
    case Qt::ForegroundRole:
      if (!set || (routes_column && policy.value(key).toArray().isEmpty())) {
        return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
      }
      return {};
    case Qt::ToolTipRole:
      if (!routes_column && !set) {
        return tr("not set: the node uses the default, %1").arg(columns_.at(index.column())->default_text);
      }
      return {};
    default:
      return {};
  }
}

QVariant PolicyTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section > columns_.size()) {
    return {};
  }
  if (section == columns_.size()) {
    return tr("routes");
  }
  return columns_.at(section)->key;
}

}  // namespace sluice::console
