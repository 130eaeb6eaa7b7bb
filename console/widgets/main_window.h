#pragma once
// The console's window: a sidebar of pages (Dashboard, Rate limits, Cache policies, Upstreams;
// Ctrl+1..4) and a status bar (connection state, "disconnected since HH:MM:SS", node name, version,
// config version). Owns the pages, the stats feed and the route model; the connection is injected
// and outlives the window. Polls `hello` every 5 s while connected, so a config changed by someone
// else shows up as a newer config version. GUI thread.

#include <QMainWindow>
#include <QTimer>

#include "console/client/control_connection.h"

class QLabel;
class QListWidget;
class QStackedWidget;

namespace sluice::console {

class CachePoliciesPage;
class DashboardPage;
class PurgeDialog;
class RateLimitsPage;
class RouteTableModel;
class StatsFeed;
class UpstreamsPage;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  enum Page { Dashboard, RateLimits, CachePolicies, Upstreams, PageCount };

  explicit MainWindow(ControlConnection* connection, QWidget* parent = nullptr);

  void showPage(int page);
  int currentPage() const;
  static QString pageSlug(int page);  // "dashboard", "rate-limits", ...

  StatsFeed* feed() const { return feed_; }
  DashboardPage* dashboard() const { return dashboard_; }
  RateLimitsPage* rateLimitsPage() const { return rate_limits_; }
  CachePoliciesPage* cachePoliciesPage() const { return cache_policies_; }
  UpstreamsPage* upstreamsPage() const { return upstreams_; }
  PurgeDialog* openPurgeDialog();
  QString statusText() const;  // the status bar's labels, joined (tests)

 private:
  void buildMenus();
  void updateStatus();
  void onHello(const QJsonObject& hello);
  void fetchRoutes();
  void showConnectDialog();
  void setConfigVersion(qint64 version);

  ControlConnection* connection_;
  StatsFeed* feed_;
  RouteTableModel* routes_;
  QListWidget* sidebar_;
  QStackedWidget* stack_;
  DashboardPage* dashboard_;
  RateLimitsPage* rate_limits_;
  CachePoliciesPage* cache_policies_;
  UpstreamsPage* upstreams_;
  PurgeDialog* purge_dialog_ = nullptr;
  QLabel* state_label_;
  QLabel* since_label_;
  QLabel* node_label_;
  QLabel* version_label_;
  QLabel* config_label_;
  QTimer hello_timer_;
  QTimer since_timer_;
  qint64 config_version_ = -1;
};

}  // namespace sluice::console
