#include "console/widgets/main_window.h"

#include <QAction>
#include <QApplication>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QStackedWidget>
#include <QStatusBar>

#include "console/models/route_table_model.h"
#include "console/models/stats_feed.h"
#include "console/widgets/cache_policies_page.h"
#include "console/widgets/connect_dialog.h"
#include "console/widgets/dashboard_page.h"
#include "console/widgets/purge_dialog.h"
#include "console/widgets/rate_limits_page.h"
#include "console/widgets/upstreams_page.h"

namespace sluice::console {

namespace {
constexpr int kHelloPollMs = 5000;
}

MainWindow::MainWindow(ControlConnection* connection, QWidget* parent)
    : QMainWindow(parent), connection_(connection) {
  setWindowTitle(tr("Sluice console"));
  feed_ = new StatsFeed(this);
  feed_->attach(connection_);
  routes_ = new RouteTableModel(this);

  auto* central = new QWidget(this);
  auto* layout = new QHBoxLayout(central);
  layout->setContentsMargins(4, 4, 4, 4);
  sidebar_ = new QListWidget(central);
  sidebar_->setFixedWidth(150);
  sidebar_->setSpacing(2);
  stack_ = new QStackedWidget(central);
  dashboard_ = new DashboardPage(feed_, stack_);
  rate_limits_ = new RateLimitsPage(connection_, stack_);
  cache_policies_ = new CachePoliciesPage(connection_, stack_);
  upstreams_ = new UpstreamsPage(connection_, routes_, stack_);
  const QList<QPair<QWidget*, QString>> pages = {{dashboard_, tr("Dashboard")},
                                                 {rate_limits_, tr("Rate limits")},
                                                 {cache_policies_, tr("Cache policies")},
                                                 {upstreams_, tr("Upstreams")}};
  for (int i = 0; i < pages.size(); ++i) {
    stack_->addWidget(pages.at(i).first);
    auto* item = new QListWidgetItem(pages.at(i).second, sidebar_);
    item->setToolTip(tr("Ctrl+%1").arg(i + 1));
    item->setSizeHint(QSize(0, 30));
  }
  layout->addWidget(sidebar_);
  layout->addWidget(stack_, 1);
  setCentralWidget(central);
  connect(sidebar_, &QListWidget::currentRowChanged, stack_, &QStackedWidget::setCurrentIndex);
  sidebar_->setCurrentRow(0);

  state_label_ = new QLabel(this);
  since_label_ = new QLabel(this);
  node_label_ = new QLabel(this);
  version_label_ = new QLabel(this);
  config_label_ = new QLabel(this);
  statusBar()->addWidget(state_label_);
  statusBar()->addWidget(since_label_, 1);
  statusBar()->addPermanentWidget(node_label_);
  statusBar()->addPermanentWidget(version_label_);
  statusBar()->addPermanentWidget(config_label_);
  buildMenus();

  connect(connection_, &ControlConnection::stateChanged, this, [this](ControlConnection::State state) {
    if (state == ControlConnection::State::Connected) {
      hello_timer_.start();
      fetchRoutes();
    } else {
      hello_timer_.stop();
    }
    updateStatus();
  });
  connect(connection_, &ControlConnection::helloReceived, this, &MainWindow::onHello);
  connect(connection_, &ControlConnection::errorOccurred, this, &MainWindow::updateStatus);
  // Upstream rows follow the feed's batches, not every event: at most ~4 table updates a second.
  const auto feed_upstreams = [this]() { upstreams_->applySnapshot(feed_->latest()); };
  connect(feed_, &StatsFeed::updated, this, feed_upstreams);
  connect(feed_, &StatsFeed::reset, this, feed_upstreams);
  connect(rate_limits_, &PolicyPage::configVersionChanged, this, &MainWindow::setConfigVersion);
  connect(cache_policies_, &PolicyPage::configVersionChanged, this, &MainWindow::setConfigVersion);
  connect(cache_policies_, &CachePoliciesPage::purgeRequested, this, &MainWindow::openPurgeDialog);

  hello_timer_.setInterval(kHelloPollMs);
  connect(&hello_timer_, &QTimer::timeout, this, [this]() {
    connection_->request(QStringLiteral("hello"), {}, this, [this](const ControlReply& reply) {
      if (reply.ok) {
        onHello(reply.result);
      }
    });
  });
  // The "disconnected since" line also says how long ago; refresh it while disconnected.
  since_timer_.setInterval(1000);
  connect(&since_timer_, &QTimer::timeout, this, &MainWindow::updateStatus);
  since_timer_.start();

  if (connection_->state() == ControlConnection::State::Connected) {
    hello_timer_.start();
    onHello(connection_->helloInfo());
    fetchRoutes();
  }
  resize(1280, 800);
  updateStatus();
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* connect_action = file->addAction(tr("&Connect…"), this, &MainWindow::showConnectDialog);
  connect_action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
  QAction* refresh = file->addAction(tr("&Refresh"), this, [this]() {
    rate_limits_->refresh();
    cache_policies_->refresh();
    upstreams_->refresh();
    fetchRoutes();
  });
  refresh->setShortcut(QKeySequence::Refresh);
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
  quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));

  QMenu* go = menuBar()->addMenu(tr("&Go"));
  for (int i = 0; i < sidebar_->count(); ++i) {
    QAction* action = go->addAction(sidebar_->item(i)->text(), this, [this, i]() { showPage(i); });
    action->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
  }
  QMenu* cache = menuBar()->addMenu(tr("&Cache"));
  QAction* purge = cache->addAction(tr("&Purge…"), this, &MainWindow::openPurgeDialog);
  purge->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
}

void MainWindow::showPage(int page) {
  sidebar_->setCurrentRow(page);
}

int MainWindow::currentPage() const {
  return stack_->currentIndex();
}

QString MainWindow::pageSlug(int page) {
  switch (page) {
    case Dashboard:
      return QStringLiteral("dashboard");
    case RateLimits:
      return QStringLiteral("rate-limits");
    case CachePolicies:
      return QStringLiteral("cache-policies");
    case Upstreams:
      return QStringLiteral("upstreams");
    default:
      return QStringLiteral("page-%1").arg(page);
  }
}

PurgeDialog* MainWindow::openPurgeDialog() {
  if (purge_dialog_ == nullptr) {
    purge_dialog_ = new PurgeDialog(connection_, this);
  }
  purge_dialog_->show();
  purge_dialog_->raise();
  purge_dialog_->activateWindow();
  return purge_dialog_;
}

void MainWindow::showConnectDialog() {
  auto* dialog = new ConnectDialog(connection_->socketPath(), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this, dialog]() {
    const QString path = dialog->socketPath();
    ConnectDialog::remember(path);
    connection_->connectTo(path);
  });
  dialog->open();
}

void MainWindow::fetchRoutes() {
  connection_->request(QStringLiteral("routes.list"), {}, this, [this](const ControlReply& reply) {
    if (!reply.ok) {
      return;
    }
    routes_->setRoutes(reply.result.value(QLatin1String("routes")).toArray());
    feed_->setRouteLinks(routes_->links());
    dashboard_->setRoutes(routes_->names());
  });
}

void MainWindow::onHello(const QJsonObject& hello) {
  node_label_->setText(tr("node %1").arg(hello.value(QLatin1String("node")).toString()));
  version_label_->setText(tr("sluice %1").arg(hello.value(QLatin1String("version")).toString()));
  const auto version = static_cast<qint64>(hello.value(QLatin1String("config_version")).toDouble(-1));
  const bool changed = config_version_ >= 0 && version != config_version_;
  setConfigVersion(version);
  if (changed) {
    rate_limits_->noteConfigVersion(version);
    cache_policies_->noteConfigVersion(version);
    fetchRoutes();
  }
}

void MainWindow::setConfigVersion(qint64 version) {
  config_version_ = version;
  config_label_->setText(version >= 0 ? tr("config version %1").arg(version) : QString());
}

void MainWindow::updateStatus() {
  switch (connection_->state()) {
    case ControlConnection::State::Connected:
      state_label_->setText(tr("● Connected to %1").arg(connection_->socketPath()));
      state_label_->setStyleSheet(QStringLiteral("color: #2e7d32;"));
      since_label_->clear();
      return;
    case ControlConnection::State::Connecting:
      state_label_->setText(tr("◌ Connecting to %1…").arg(connection_->socketPath()));
      state_label_->setStyleSheet(QStringLiteral("color: #8a6d00;"));
      break;
    case ControlConnection::State::Disconnected:
      state_label_->setText(tr("○ Disconnected"));
      state_label_->setStyleSheet(QStringLiteral("color: #b00020;"));
      break;
  }
  const QDateTime since = connection_->disconnectedSince();
  QString text = since.isValid() ? tr("disconnected since %1").arg(since.toString(QStringLiteral("HH:mm:ss")))
                                 : QString();
  if (!connection_->lastError().isEmpty()) {
    text += QStringLiteral(" — ") + connection_->lastError();
  }
  since_label_->setText(text);
}

QString MainWindow::statusText() const {
  return QStringList{state_label_->text(), since_label_->text(), node_label_->text(), version_label_->text(),
                     config_label_->text()}
      .join(QStringLiteral(" | "));
}

}  // namespace sluice::console
