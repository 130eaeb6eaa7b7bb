#pragma once
// The policies of one section (rate limits or cache policies) as a table: one row per policy, a
// column per key the schema marks as a column, then "Routes" (the routes that use the policy).
// A key the policy does not set shows its default, greyed. Filled whole from `*.list` results
// (a reset: lists are small and come rarely). GUI thread.

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>

#include "console/models/policy_schema.h"

namespace sluice::console {

class PolicyTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  static constexpr int kPolicyRole = Qt::UserRole + 1;  // the row's policy as a QJsonObject

  explicit PolicyTableModel(const PolicySchema& schema, QObject* parent = nullptr);

  // A `*.list` result's `policies`.
  void setPolicies(const QJsonArray& policies);
  QJsonObject policy(int row) const;
  int rowOf(const QString& name) const;  // -1 when absent
  QStringList names() const;
  const PolicySchema& schema() const { return schema_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  const PolicySchema& schema_;
  QList<const PolicyField*> columns_;
  QList<QJsonObject> policies_;
};

}  // namespace sluice::console
