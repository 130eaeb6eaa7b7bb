#include "console/widgets/upstreams_page.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "console/models/route_table_model.h"
#include "console/models/upstream_table_model.h"

namespace sluice::console {

namespace {
QTableView* makeTable(QWidget* parent) {
  auto* table = new QTableView(parent);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setSelectionMode(QAbstractItemView::SingleSelection);
  table->setAlternatingRowColors(true);
  table->verticalHeader()->hide();
  table->horizontalHeader()->setStretchLastSection(true);
  table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  return table;
}
}  // namespace

UpstreamsPage::UpstreamsPage(ControlConnection* connection, RouteTableModel* routes, QWidget* parent)
    : QWidget(parent), connection_(connection), model_(new UpstreamTableModel(this)) {
  auto* layout = new QVBoxLayout(this);
  auto* toolbar = new QHBoxLayout();
  drain_ = new QPushButton(tr("&Drain"), this);
  drain_->setToolTip(tr("Send the selected server no new requests; requests in flight finish"));
  undrain_ = new QPushButton(tr("&Undrain"), this);
  undrain_->setToolTip(tr("Send the selected server requests again"));
  refresh_ = new QPushButton(tr("R&efresh"), this);
  status_ = new QLabel(this);
  toolbar->addWidget(drain_);
  toolbar->addWidget(undrain_);
  toolbar->addWidget(refresh_);
  toolbar->addWidget(status_, 1);
  layout->addLayout(toolbar);

  auto* splitter = new QSplitter(Qt::Vertical, this);
  auto* upstream_box = new QWidget(splitter);
  auto* upstream_layout = new QVBoxLayout(upstream_box);
  upstream_layout->setContentsMargins(0, 0, 0, 0);
  auto* servers_label = new QLabel(tr("&Servers"), upstream_box);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model_);
  table_ = makeTable(upstream_box);
  table_->setModel(proxy_);
  table_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
  table_->setSortingEnabled(true);
  table_->horizontalHeader()->setStretchLastSection(false);  // numbers stay next to their names
  servers_label->setBuddy(table_);
  upstream_layout->addWidget(servers_label);
  upstream_layout->addWidget(table_);
  auto* routes_box = new QWidget(splitter);
  auto* routes_layout = new QVBoxLayout(routes_box);
  routes_layout->setContentsMargins(0, 0, 0, 0);
  auto* routes_label = new QLabel(tr("R&outes (in match order)"), routes_box);
  routes_table_ = makeTable(routes_box);
  routes_table_->setModel(routes);
  routes_label->setBuddy(routes_table_);
  routes_layout->addWidget(routes_label);
  routes_layout->addWidget(routes_table_);
  splitter->addWidget(upstream_box);
  splitter->addWidget(routes_box);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  layout->addWidget(splitter, 1);

  connect(drain_, &QPushButton::clicked, this, [this]() { setDrained(true); });
  connect(undrain_, &QPushButton::clicked, this, [this]() { setDrained(false); });
  connect(refresh_, &QPushButton::clicked, this, &UpstreamsPage::refresh);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &UpstreamsPage::updateButtons);
  connect(model_, &QAbstractItemModel::dataChanged, this, &UpstreamsPage::updateButtons);
  connect(model_, &QAbstractItemModel::modelReset, this, &UpstreamsPage::updateButtons);
  connect(connection_, &ControlConnection::stateChanged, this, [this](ControlConnection::State state) {
    if (state == ControlConnection::State::Connected) {
      refresh();
    }
    updateButtons();
  });
  updateButtons();
}

void UpstreamsPage::refresh() {
  connection_->request(QStringLiteral("upstreams.list"), {}, this, [this](const ControlReply& reply) {
    if (!reply.ok) {
      status_->setText(tr("Could not read the upstreams: %1").arg(reply.describe()));
      return;
    }
    const int selected = selectedRow();
    model_->setUpstreams(reply.result.value(QLatin1String("upstreams")).toArray());
    if (!latest_.isEmpty()) {
      model_->applySnapshot(latest_);
    }
    if (selected >= 0 && selected < model_->rowCount()) {
      table_->selectRow(proxy_->mapFromSource(model_->index(selected, 0)).row());
    }
  });
}

void UpstreamsPage::applySnapshot(const QJsonObject& snapshot) {
  latest_ = snapshot;
  model_->applySnapshot(snapshot);
}

void UpstreamsPage::setDrained(bool drained) {
  const UpstreamTableModel::Row* row = model_->row(selectedRow());
  if (row == nullptr) {
    return;
  }
  const QString upstream = row->upstream;
  const QString server = row->server;
  const QJsonObject params{{QStringLiteral("upstream"), upstream}, {QStringLiteral("server"), server}};
  const QString method = drained ? QStringLiteral("upstreams.drain") : QStringLiteral("upstreams.undrain");
  status_->setText(drained ? tr("Draining %1…").arg(server) : tr("Undraining %1…").arg(server));
  connection_->request(method, params, this, [this, upstream, server, drained](const ControlReply& reply) {
    if (!reply.ok) {
      status_->setText(tr("%1: %2").arg(server, reply.describe()));
      return;
    }
    const bool now = reply.result.value(QLatin1String("drained")).toBool(drained);
    model_->setDrained(upstream, server, now);
    status_->setText(now ? tr("%1/%2 drained: it gets no new requests.").arg(upstream, server)
                         : tr("%1/%2 takes requests again.").arg(upstream, server));
  });
}

QString UpstreamsPage::statusText() const {
  return status_->text();
}

int UpstreamsPage::selectedRow() const {
  const QModelIndexList rows = table_->selectionModel()->selectedRows();
  return rows.isEmpty() ? -1 : proxy_->mapToSource(rows.first()).row();
}

void UpstreamsPage::updateButtons() {
  const bool connected = connection_->state() == ControlConnection::State::Connected;
  const UpstreamTableModel::Row* row = model_->row(selectedRow());
  drain_->setEnabled(connected && row != nullptr && !row->drained);
  undrain_->setEnabled(connected && row != nullptr && row->drained);
  refresh_->setEnabled(connected);
}

}  // namespace sluice::console
