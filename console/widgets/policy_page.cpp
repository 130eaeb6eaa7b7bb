#include "console/widgets/policy_page.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "console/models/policy_table_model.h"
#include "console/widgets/conflict_banner.h"
#include "console/widgets/policy_form.h"

namespace sluice::console {

PolicyPage::PolicyPage(const PolicySchema& schema, ControlConnection* connection, QWidget* parent)
    : QWidget(parent), schema_(schema), connection_(connection) {
  model_ = new PolicyTableModel(schema_, this);

  auto* layout = new QVBoxLayout(this);
  banner_ = new ConflictBanner(this);
  layout->addWidget(banner_);

  toolbar_row_ = new QWidget(this);
  auto* toolbar = new QHBoxLayout(toolbar_row_);
  toolbar->setContentsMargins(0, 0, 0, 0);
  new_ = new QPushButton(tr("&New"), toolbar_row_);
  new_->setToolTip(tr("Add a %1").arg(schema_.singular));
  delete_ = new QPushButton(tr("&Delete…"), toolbar_row_);
  refresh_ = new QPushButton(tr("R&efresh"), toolbar_row_);
  version_label_ = new QLabel(toolbar_row_);
  toolbar->addWidget(new_);
  toolbar->addWidget(delete_);
  toolbar->addWidget(refresh_);
  toolbar->addStretch(1);
  toolbar->addWidget(version_label_);
  toolbar_area_ = new QVBoxLayout();
  toolbar_area_->addWidget(toolbar_row_);
  layout->addLayout(toolbar_area_);

  auto* splitter = new QSplitter(Qt::Horizontal, this);
  // Sortable by any column; unsorted (the section's order in the file) until a header is clicked.
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model_);
  table_ = new QTableView(splitter);
  table_->setModel(proxy_);
  table_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
  table_->setSortingEnabled(true);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setAlternatingRowColors(true);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

  auto* editor = new QWidget(splitter);
  auto* editor_layout = new QVBoxLayout(editor);
  editor_layout->setContentsMargins(8, 0, 0, 0);
  auto* scroll = new QScrollArea(editor);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  form_ = new PolicyForm(schema_, scroll);
  scroll->setWidget(form_);
  editor_layout->addWidget(scroll, 1);
  auto* buttons = new QHBoxLayout();
  status_ = new QLabel(editor);
  status_->setWordWrap(true);
  apply_ = new QPushButton(tr("&Apply"), editor);
  apply_->setDefault(true);
  apply_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
  apply_->setToolTip(tr("Send the edit to the node (Ctrl+Enter)"));
  revert_ = new QPushButton(tr("Re&vert"), editor);
  revert_->setToolTip(tr("Discard the edits in the form"));
  buttons->addWidget(status_, 1);
  buttons->addWidget(revert_);
  buttons->addWidget(apply_);
  editor_layout->addLayout(buttons);
  splitter->addWidget(table_);
  splitter->addWidget(editor);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  layout->addWidget(splitter, 1);

  setTabOrder(new_, delete_);
  setTabOrder(delete_, refresh_);
  setTabOrder(refresh_, table_);
  setTabOrder(table_, form_);

  connect(new_, &QPushButton::clicked, this, &PolicyPage::startNew);
  connect(delete_, &QPushButton::clicked, this, &PolicyPage::confirmDelete);
  connect(refresh_, &QPushButton::clicked, this, &PolicyPage::refresh);
  connect(apply_, &QPushButton::clicked, this, &PolicyPage::apply);
  connect(revert_, &QPushButton::clicked, this, &PolicyPage::revert);
  connect(banner_, &ConflictBanner::reloadRequested, this, &PolicyPage::refresh);
  connect(form_, &PolicyForm::dirtyChanged, this, &PolicyPage::updateButtons);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &PolicyPage::selectionChanged);
  connect(connection_, &ControlConnection::stateChanged, this, [this](ControlConnection::State state) {
    if (state == ControlConnection::State::Connected) {
      refresh();
    }
    updateButtons();
  });
  updateButtons();
}

void PolicyPage::refresh() {
  connection_->request(schema_.listMethod(), {}, this, [this](const ControlReply& reply) {
    if (!reply.ok) {
      setStatus(tr("Could not read the %1: %2").arg(schema_.title.toLower(), reply.describe()), true);
      return;
    }
    const QString selected = form_->isNew() ? QString() : form_->name();
    restoring_selection_ = true;
    model_->setPolicies(reply.result.value(QLatin1String("policies")).toArray());
    restoring_selection_ = false;
    version_ = static_cast<qint64>(reply.result.value(QLatin1String("version")).toDouble(-1));
    version_label_->setText(tr("config version %1").arg(version_));
    form_->setPolicyNames(model_->names());
    banner_->hide();
    emit configVersionChanged(version_);
    if (form_->isDirty()) {
      selectName(selected);  // keep the user's edits; only the base version moves on
    } else if (!selected.isEmpty() && model_->rowOf(selected) >= 0) {
      selectName(selected);
      form_->load(model_->policy(model_->rowOf(selected)), false);
    } else if (model_->rowCount() > 0) {
      selectName(model_->policy(0).value(QLatin1String("name")).toString());  // loads it
    } else {
      form_->load({}, true);
    }
    updateButtons();
  });
}

void PolicyPage::noteConfigVersion(qint64 version) {
  if (version_ < 0 || version == version_) {
    return;
  }
  if (form_->isDirty()) {
    banner_->showConflict(version);
  } else {
    refresh();
  }
}

void PolicyPage::apply() {
  if (busy_) {
    return;
  }
  const QJsonObject policy = form_->policy();
  if (policy.value(QLatin1String("name")).toString().isEmpty()) {
    form_->clearErrors();
    if (QLabel* label = form_->errorLabel(QStringLiteral("name"))) {
      label->setText(tr("a name is required"));
      label->show();
    }
    return;
  }
  busy_ = true;
  updateButtons();
  setStatus(tr("Applying…"));
  const QJsonObject params{{QStringLiteral("base_version"), version_}, {QStringLiteral("policy"), policy}};
  const QString name = policy.value(QLatin1String("name")).toString();
  connection_->request(schema_.setMethod(), params, this, [this, name, policy](const ControlReply& reply) {
    busy_ = false;
    if (reply.ok) {
      version_ = static_cast<qint64>(reply.result.value(QLatin1String("version")).toDouble(version_));
      const bool persisted = reply.result.value(QLatin1String("persisted")).toBool(true);
      setStatus(persisted ? tr("Saved as config version %1.").arg(version_)
                          : tr("Applied as config version %1 (not written to a file: the node runs its "
                               "embedded config).")
                                .arg(version_));
      form_->load(policy, false);  // clean until the list confirms it
      emit configVersionChanged(version_);
      refresh();
    } else if (reply.code == QLatin1String("invalid")) {
      form_->showErrors(reply);
      setStatus(tr("The node refused the edit: nothing was changed."), true);
    } else if (reply.code == QLatin1String("conflict")) {
      onConflict();
      setStatus(tr("Not applied: the config changed on the node."), true);
    } else {
      form_->showGeneralError(reply.describe());
      setStatus(tr("Not applied."), true);
    }
    updateButtons();
  });
}

void PolicyPage::onConflict() {
  banner_->showConflict(-1);
  // The conflict reply does not carry the node's version: hello does.
  connection_->request(QStringLiteral("hello"), {}, this, [this](const ControlReply& reply) {
    if (reply.ok && banner_->isVisible()) {
      banner_->showConflict(
          static_cast<qint64>(reply.result.value(QLatin1String("config_version")).toDouble(-1)));
    }
  });
}

void PolicyPage::revert() {
  const int row = model_->rowOf(form_->name());
  if (!form_->isNew() && row >= 0) {
    form_->load(model_->policy(row), false);
  } else {
    form_->load({}, true);
  }
  setStatus(tr("Edits discarded."));
}

void PolicyPage::startNew() {
  if (form_->isDirty()) {
    setStatus(tr("Apply or revert the edits in the form first."), true);
    return;
  }
  restoring_selection_ = true;
  table_->clearSelection();
  restoring_selection_ = false;
  form_->load({}, true);
  if (QWidget* name = form_->editor(QStringLiteral("name"))) {
    name->setFocus(Qt::OtherFocusReason);
  }
  updateButtons();
}

void PolicyPage::confirmDelete() {
  const int row = selectedRow();
  if (row < 0) {
    return;
  }
  const QString name = model_->policy(row).value(QLatin1String("name")).toString();
  // open(), not exec(): the event loop (and the stats stream) keeps running while the user thinks.
  auto* box = new QMessageBox(QMessageBox::Question, tr("Delete %1").arg(schema_.singular),
                              tr("Delete the %1 “%2” from the node's config?").arg(schema_.singular, name),
                              QMessageBox::Yes | QMessageBox::Cancel, this);
  box->setObjectName(QStringLiteral("confirmDelete"));
  box->setDefaultButton(QMessageBox::Cancel);
  box->setAttribute(Qt::WA_DeleteOnClose);
  connect(box, &QMessageBox::finished, this, [this, name](int result) {
    if (result == QMessageBox::Yes) {
      sendDelete(name);
    }
  });
  box->open();
}

void PolicyPage::sendDelete(const QString& name) {
  const QJsonObject params{{QStringLiteral("base_version"), version_}, {QStringLiteral("name"), name}};
  connection_->request(schema_.deleteMethod(), params, this, [this, name](const ControlReply& reply) {
    if (reply.ok) {
      version_ = static_cast<qint64>(reply.result.value(QLatin1String("version")).toDouble(version_));
      setStatus(tr("Deleted “%1”: config version %2.").arg(name).arg(version_));
      if (form_->name() == name) {
        form_->load({}, true);
      }
      emit configVersionChanged(version_);
      refresh();
    } else if (reply.code == QLatin1String("conflict")) {
      onConflict();
      setStatus(tr("Not deleted: the config changed on the node."), true);
    } else {
      // `invalid` here means a route still uses the policy: the message names it.
      setStatus(tr("Not deleted: %1").arg(reply.message.isEmpty() ? reply.code : reply.message), true);
    }
  });
}

void PolicyPage::selectionChanged() {
  if (restoring_selection_) {
    return;
  }
  const int row = selectedRow();
  if (row < 0) {
    updateButtons();
    return;
  }
  const QJsonObject policy = model_->policy(row);
  if (form_->isDirty()) {
    if (policy.value(QLatin1String("name")).toString() != form_->name()) {
      setStatus(tr("Apply or revert the edits in the form first."), true);
      selectName(form_->isNew() ? QString() : form_->name());
    }
    return;
  }
  form_->load(policy, false);
  updateButtons();
}

void PolicyPage::selectName(const QString& name) {
  restoring_selection_ = true;
  const int row = model_->rowOf(name);
  if (row < 0) {
    table_->clearSelection();
  } else {
    table_->selectRow(proxy_->mapFromSource(model_->index(row, 0)).row());
  }
  restoring_selection_ = false;
  if (row >= 0 && !form_->isDirty() && form_->name() != name) {
    form_->load(model_->policy(row), false);
  }
}

int PolicyPage::selectedRow() const {
  const QModelIndexList rows = table_->selectionModel()->selectedRows();
  return rows.isEmpty() ? -1 : proxy_->mapToSource(rows.first()).row();
}

void PolicyPage::setStatus(const QString& text, bool error) {
  status_->setText(text);
  status_->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

QString PolicyPage::statusText() const {
  return status_->text();
}

void PolicyPage::updateButtons() {
  const bool connected = connection_->state() == ControlConnection::State::Connected;
  const bool selected = table_->selectionModel()->hasSelection();
  apply_->setEnabled(connected && !busy_ && version_ >= 0);
  revert_->setEnabled(form_->isDirty());
  delete_->setEnabled(connected && selected && !busy_);
  new_->setEnabled(!busy_);
  refresh_->setEnabled(connected);
}

}  // namespace sluice::console
