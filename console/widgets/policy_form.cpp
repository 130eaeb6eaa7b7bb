#include "console/widgets/policy_form.h"

#include <QComboBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QVBoxLayout>

#include "console/models/json_text.h"

namespace sluice::console {

namespace {
using Kind = PolicyField::Kind;

bool isCombo(Kind kind) {
  return kind == Kind::Choice || kind == Kind::IntegerChoice || kind == Kind::EditableChoice ||
         kind == Kind::Boolean || kind == Kind::PolicyName;
}

QString defaultHint(const PolicyField& field) {
  if (field.default_text.isEmpty()) {
    return field.kind == Kind::Name ? QObject::tr("required") : QObject::tr("not set");
  }
  return QObject::tr("default: %1").arg(field.default_text);
}
}  // namespace

PolicyForm::PolicyForm(const PolicySchema& schema, QWidget* parent) : QWidget(parent), schema_(schema) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  heading_ = new QLabel(this);
  QFont heading_font = heading_->font();
  heading_font.setBold(true);
  heading_->setFont(heading_font);
  outer->addWidget(heading_);
  general_error_ = new QLabel(this);
  general_error_->setObjectName(QStringLiteral("generalError"));
  general_error_->setStyleSheet(QStringLiteral("color: #b00020;"));
  general_error_->setWordWrap(true);
  general_error_->hide();
  outer->addWidget(general_error_);

  auto* form = new QFormLayout();
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  outer->addLayout(form);
  outer->addStretch(1);

  for (const PolicyField& field : schema_.fields) {
    QWidget* editor = nullptr;
    if (isCombo(field.kind)) {
      auto* combo = new QComboBox(this);
      combo->setEditable(field.kind == Kind::EditableChoice || field.kind == Kind::PolicyName);
      combo->addItem(QString());  // "not set"
      if (field.kind == Kind::Boolean) {
        combo->addItems({QStringLiteral("true"), QStringLiteral("false")});
      } else {
        combo->addItems(field.choices);
      }
      if (combo->isEditable()) {
        combo->lineEdit()->setPlaceholderText(defaultHint(field));
        combo->setInsertPolicy(QComboBox::NoInsert);
        connect(combo, &QComboBox::editTextChanged, this, &PolicyForm::markDirty);
      } else {
        combo->setItemText(0, tr("(%1)").arg(defaultHint(field)));
        connect(combo, &QComboBox::currentIndexChanged, this, &PolicyForm::markDirty);
      }
      editor = combo;
    } else {
      auto* line = new QLineEdit(this);
      line->setPlaceholderText(defaultHint(field));
      connect(line, &QLineEdit::textChanged, this, &PolicyForm::markDirty);
      editor = line;
    }
    editor->setObjectName(field.key);
    editor->setToolTip(field.help);
    auto* error = new QLabel(this);
    error->setObjectName(field.key + QStringLiteral("_error"));
    error->setStyleSheet(QStringLiteral("color: #b00020;"));
    error->setWordWrap(true);
    error->hide();
    auto* cell = new QWidget(this);
    auto* cell_layout = new QVBoxLayout(cell);
    cell_layout->setContentsMargins(0, 0, 0, 0);
    cell_layout->setSpacing(1);
    cell_layout->addWidget(editor);
    cell_layout->addWidget(error);
    auto* label = new QLabel(field.label, this);
    label->setBuddy(editor);  // the mnemonic focuses the field
    label->setToolTip(field.help);
    form->addRow(label, cell);
    editors_.insert(field.key, editor);
    errors_.insert(field.key, error);
  }
  load({}, true);
}

void PolicyForm::load(const QJsonObject& policy, bool is_new) {
  loading_ = true;
  original_ = policy;
  is_new_ = is_new;
  for (const PolicyField& field : schema_.fields) {
    setText(field, policy.contains(field.key) ? jsonText(policy.value(field.key)) : QString());
  }
  if (auto* name = qobject_cast<QLineEdit*>(editors_.value(QStringLiteral("name")))) {
    // A set with another name adds a policy: renaming is "new" plus "delete", never implicit.
    name->setReadOnly(!is_new);
  }
  heading_->setText(
      is_new ? tr("New %1").arg(schema_.singular)
             : tr("%1 “%2”").arg(schema_.singular, policy.value(QLatin1String("name")).toString()));
  loading_ = false;
  clearErrors();
  if (dirty_) {
    dirty_ = false;
    emit dirtyChanged(false);
  }
}

QJsonObject PolicyForm::policy() const {
  QJsonObject policy;
  // Keys the form does not know (a newer node's) travel back unchanged.
  for (auto it = original_.begin(); it != original_.end(); ++it) {
    if (it.key() != QLatin1String("routes") && schema_.field(it.key()) == nullptr) {
      policy.insert(it.key(), it.value());
    }
  }
  for (const PolicyField& field : schema_.fields) {
    const QString value = text(field).trimmed();
    if (!value.isEmpty()) {
      policy.insert(field.key,
                    jsonFromText(value, field.kind == Kind::Integer || field.kind == Kind::IntegerChoice,
                                 field.kind == Kind::Boolean));
    }
  }
  return policy;
}

QString PolicyForm::name() const {
  return text(*schema_.field(QStringLiteral("name"))).trimmed();
}

void PolicyForm::setPolicyNames(const QStringList& names) {
  for (const PolicyField& field : schema_.fields) {
    if (field.kind != Kind::PolicyName) {
      continue;
    }
    auto* combo = static_cast<QComboBox*>(editors_.value(field.key));
    const QString current = combo->currentText();
    const bool was_loading = loading_;
    loading_ = true;
    combo->clear();
    combo->addItem(QString());
    combo->addItems(names);
    combo->setEditText(current);
    loading_ = was_loading;
  }
}

QString PolicyForm::keyOfField(const QString& path) const {
  static const QRegularExpression pattern(QStringLiteral(R"(^([a-z_]+)\[\d+\]\.([a-z_0-9]+))"));
  const QRegularExpressionMatch match = pattern.match(path);
  if (!match.hasMatch() || match.captured(1) != schema_.section ||
      schema_.field(match.captured(2)) == nullptr) {
    return {};
  }
  return match.captured(2);
}

int PolicyForm::showErrors(const ControlReply& reply) {
  clearErrors();
  // `errors` lists every problem; older or simpler replies carry only `field` and `message`.
  QList<QPair<QString, QString>> problems;
  for (const QJsonValue& value : reply.errors) {
    const QJsonObject error = value.toObject();
    problems.append(
        {error.value(QLatin1String("field")).toString(), error.value(QLatin1String("message")).toString()});
  }
  if (problems.isEmpty()) {
    problems.append({reply.field, reply.message});
  }
  int placed = 0;
  QStringList general;
  QWidget* first = nullptr;
  for (const auto& [path, message] : problems) {
    const QString key = keyOfField(path);
    QLabel* label = errors_.value(key);
    if (label == nullptr) {
      general.append(path.isEmpty() ? message : path + QStringLiteral(": ") + message);
      continue;
    }
    label->setText(label->isVisible() && !label->text().isEmpty()
                       ? label->text() + QLatin1Char('\n') + message
                       : message);
    label->show();
    if (first == nullptr) {
      first = editors_.value(key);
    }
    ++placed;
  }
  if (!general.isEmpty()) {
    showGeneralError(general.join(QLatin1Char('\n')));
  }
  if (first != nullptr) {
    first->setFocus(Qt::OtherFocusReason);
  }
  return placed;
}

void PolicyForm::showGeneralError(const QString& message) {
  general_error_->setText(message);
  general_error_->setVisible(!message.isEmpty());
}

void PolicyForm::clearErrors() {
  for (QLabel* label : std::as_const(errors_)) {
    label->clear();
    label->hide();
  }
  showGeneralError({});
}

QString PolicyForm::text(const PolicyField& field) const {
  QWidget* editor = editors_.value(field.key);
  if (auto* line = qobject_cast<QLineEdit*>(editor)) {
    return line->text();
  }
  auto* combo = static_cast<QComboBox*>(editor);
  if (combo->isEditable()) {
    return combo->currentText();
  }
  return combo->currentIndex() <= 0 ? QString() : combo->currentText();
}

void PolicyForm::setText(const PolicyField& field, const QString& value) {
  QWidget* editor = editors_.value(field.key);
  if (auto* line = qobject_cast<QLineEdit*>(editor)) {
    line->setText(value);
    return;
  }
  auto* combo = static_cast<QComboBox*>(editor);
  if (combo->isEditable()) {
    combo->setEditText(value);
    return;
  }
  int index = value.isEmpty() ? 0 : combo->findText(value);
  if (index < 0) {
    // A value the form does not offer (a newer node's): keep it selectable rather than lose it.
    combo->addItem(value);
    index = combo->count() - 1;
  }
  combo->setCurrentIndex(index);
}

void PolicyForm::markDirty() {
  if (loading_ || dirty_) {
    return;
  }
  dirty_ = true;
  emit dirtyChanged(true);
}

}  // namespace sluice::console
