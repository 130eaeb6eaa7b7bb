#include "console/widgets/connect_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

#include "console/client/default_socket_path.h"

namespace sluice::console {

namespace {
const char kSettingsKey[] = "connection/socket";
}

ConnectDialog::ConnectDialog(const QString& current, QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Connect to a node"));
  auto* layout = new QVBoxLayout(this);
  auto* intro =
      new QLabel(tr("The node's control socket (control.socket in its config). Over SSH, forward it "
                    "first: ssh -L /tmp/sluice.sock:/run/sluice/control.sock host"),
                 this);
  intro->setWordWrap(true);
  layout->addWidget(intro);
  auto* form = new QFormLayout();
  path_ = new QLineEdit(current, this);
  path_->setPlaceholderText(defaultSocketPath());
  auto* label = new QLabel(tr("&Socket:"), this);
  label->setBuddy(path_);
  form->addRow(label, path_);
  layout->addLayout(form);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
  auto* defaults = buttons->addButton(tr("Use &default"), QDialogButtonBox::ResetRole);
  connect(defaults, &QPushButton::clicked, this, [this]() { path_->setText(defaultSocketPath()); });
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
  setMinimumWidth(520);
}

QString ConnectDialog::socketPath() const {
  const QString path = path_->text().trimmed();
  return path.isEmpty() ? defaultSocketPath() : path;
}

QString ConnectDialog::initialSocketPath(const QString& command_line) {
  if (!command_line.isEmpty()) {
    return command_line;
  }
  const QString remembered = QSettings().value(QLatin1String(kSettingsKey)).toString();
  return remembered.isEmpty() ? defaultSocketPath() : remembered;
}

void ConnectDialog::remember(const QString& path) {
  QSettings().setValue(QLatin1String(kSettingsKey), path);
}

}  // namespace sluice::console
