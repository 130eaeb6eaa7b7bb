#pragma once
// The edit form for one policy: a field per key of the schema (docs/config-reference.md), each with
// its default as a hint and an error line under it. An empty field means "not set" (the node uses the
// default), so only the keys the user set are sent, plus any key of the loaded policy the schema
// does not know (never silently dropped). An `invalid` reply's field paths
// (`rate_limits[2].window`) put each message under its field; others go to the form's own error line.
// GUI thread.

#include <QHash>
#include <QJsonObject>
#include <QWidget>

#include "console/client/control_reply.h"
#include "console/models/policy_schema.h"

class QLabel;
class QFormLayout;

namespace sluice::console {

class PolicyForm : public QWidget {
  Q_OBJECT

 public:
  PolicyForm(const PolicySchema& schema, QWidget* parent = nullptr);

  // Shows `policy` (an entry of a `*.list` result) or, when `is_new`, an empty form for a new one.
  void load(const QJsonObject& policy, bool is_new);
  // The entry to send in `*.set`: the keys set in the form, as JSON.
  QJsonObject policy() const;
  QString name() const;
  bool isNew() const { return is_new_; }
  bool isDirty() const { return dirty_; }
  void setPolicyNames(const QStringList& names);  // choices for policy-name fields

  // Puts an `invalid` (or other) reply's messages next to their fields; returns how many landed
  // under a field (0: all went to the general error line).
  int showErrors(const ControlReply& reply);
  void showGeneralError(const QString& message);
  void clearErrors();

  QWidget* editor(const QString& key) const { return editors_.value(key); }
  QLabel* errorLabel(const QString& key) const { return errors_.value(key); }
  QLabel* generalErrorLabel() const { return general_error_; }
  // The key a field path names when it is an entry of this section ("rate_limits[0].window" →
  // "window"); empty otherwise.
  QString keyOfField(const QString& path) const;

 signals:
  void dirtyChanged(bool dirty);

 private:
  QString text(const PolicyField& field) const;
  void setText(const PolicyField& field, const QString& text);
  void markDirty();

  const PolicySchema& schema_;
  QHash<QString, QWidget*> editors_;
  QHash<QString, QLabel*> errors_;
  QLabel* general_error_;
  QLabel* heading_;
  QJsonObject original_;
  bool is_new_ = true;
  bool dirty_ = false;
  bool loading_ = false;
};

}  // namespace sluice::console
