#include "console/widgets/purge_dialog.h"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace sluice::console {

PurgeDialog::PurgeDialog(ControlConnection* connection, QWidget* parent)
    : QDialog(parent), connection_(connection) {
  setWindowTitle(tr("Purge the cache"));
  auto* layout = new QVBoxLayout(this);
  auto* kinds_row = new QHBoxLayout();
  kinds_ = new QButtonGroup(this);
  const QList<QPair<Kind, QString>> kinds = {{Kind::Url, tr("&URL")},
                                             {Kind::Prefix, tr("&Prefix")},
                                             {Kind::Tag, tr("&Tag")},
                                             {Kind::All, tr("&Everything")}};
  for (const auto& [kind, label] : kinds) {
    auto* button = new QRadioButton(label, this);
    kinds_->addButton(button, static_cast<int>(kind));
    kinds_row->addWidget(button);
  }
  layout->addLayout(kinds_row);
  auto* form = new QFormLayout();
  value_ = new QLineEdit(this);
  auto* value_label = new QLabel(tr("&Value:"), this);
  value_label->setBuddy(value_);
  form->addRow(value_label, value_);
  layout->addLayout(form);
  result_ = new QLabel(this);
  result_->setWordWrap(true);
  layout->addWidget(result_);
  auto* buttons = new QDialogButtonBox(this);
  purge_ = buttons->addButton(tr("P&urge"), QDialogButtonBox::AcceptRole);
  buttons->addButton(QDialogButtonBox::Close);
  layout->addWidget(buttons);
  // Purge keeps the dialog open; only Close (or Esc) closes it.
  connect(purge_, &QPushButton::clicked, this, &PurgeDialog::purge);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(kinds_, &QButtonGroup::idToggled, this, &PurgeDialog::updateState);
  connect(value_, &QLineEdit::textChanged, this, &PurgeDialog::updateState);
  setKind(Kind::Url);
  setMinimumWidth(480);
}

void PurgeDialog::setKind(Kind kind) {
  kinds_->button(static_cast<int>(kind))->setChecked(true);
  updateState();
}

QRadioButton* PurgeDialog::kindButton(Kind kind) const {
  return static_cast<QRadioButton*>(kinds_->button(static_cast<int>(kind)));
}

PurgeDialog::Kind PurgeDialog::kind() const {
  return static_cast<Kind>(kinds_->checkedId());
}

QString PurgeDialog::resultText() const {
  return result_->text();
}

QJsonObject PurgeDialog::params() const {
  const QString value = value_->text().trimmed();
  switch (kind()) {
    case Kind::Url:
      return {{QStringLiteral("url"), value}};
    case Kind::Prefix:
      return {{QStringLiteral("prefix"), value}};
    case Kind::Tag:
      return {{QStringLiteral("tag"), value}};
    case Kind::All:
    default:
      return {{QStringLiteral("all"), true}};
  }
}

void PurgeDialog::updateState() {
  const bool all = kind() == Kind::All;
  value_->setEnabled(!all);
  switch (kind()) {
    case Kind::Url:
      value_->setPlaceholderText(QStringLiteral("http://host/path?query"));
      break;
    case Kind::Prefix:
      value_->setPlaceholderText(QStringLiteral("http://host/path"));
      break;
    case Kind::Tag:
      value_->setPlaceholderText(QStringLiteral("product-42"));
      break;
    case Kind::All:
      value_->setPlaceholderText(QString());
      break;
  }
  purge_->setEnabled(all || !value_->text().trimmed().isEmpty());
}

void PurgeDialog::purge() {
  if (kind() != Kind::All) {
    send(params());
    return;
  }
  auto* box = new QMessageBox(QMessageBox::Warning, tr("Purge everything"),
                              tr("Remove every cached response from the node? The origins will see the full "
                                 "load until the cache fills again."),
                              QMessageBox::Yes | QMessageBox::Cancel, this);
  box->setObjectName(QStringLiteral("confirmPurgeAll"));
  box->setDefaultButton(QMessageBox::Cancel);
  box->setAttribute(Qt::WA_DeleteOnClose);
  connect(box, &QMessageBox::finished, this, [this](int result) {
    if (result == QMessageBox::Yes) {
      send(params());
    } else {
      result_->setText(tr("Nothing purged."));
    }
  });
  box->open();
}

void PurgeDialog::send(const QJsonObject& params) {
  purge_->setEnabled(false);
  result_->setText(tr("Purging…"));
  connection_->request(QStringLiteral("cache.purge"), params, this, [this](const ControlReply& reply) {
    updateState();
    if (reply.ok) {
      const auto purged = static_cast<qint64>(reply.result.value(QLatin1String("purged")).toDouble());
      result_->setText(tr("%n entries purged.", nullptr, static_cast<int>(purged)));
    } else {
      result_->setText(tr("Not purged: %1").arg(reply.describe()));
    }
  });
}

}  // namespace sluice::console
