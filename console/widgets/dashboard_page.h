#pragma once
// The Dashboard: headline tiles (requests/s and per minute, p99, error %, cache hit %) over six
// charts (requests/s by status class, latency p50/p95/p99 with a log-scale toggle, cache hit ratio,
// rate-limited/s, active connections, bytes/s), for the whole node or one route, over the last 1, 5
// or 15 minutes. Draws from the StatsFeed's store (not owned); redraws only when the feed has a
// batch, so its cost follows the feed's ~4 updates a second. GUI thread.

#include <QWidget>

#include "console/charts/time_series_chart.h"
#include "console/models/metric.h"

class QCheckBox;
class QComboBox;

namespace sluice::console {

class HeadlineTile;
class StatsFeed;
class ScopeSeries;

class DashboardPage : public QWidget {
  Q_OBJECT

 public:
  DashboardPage(StatsFeed* feed, QWidget* parent = nullptr);

  // The routes offered by the filter (from routes.list); the current choice is kept when it stays.
  void setRoutes(const QStringList& routes);
  QString routeFilter() const;  // empty: the whole node
  void setRouteFilter(const QString& route);
  void setWindowSeconds(int seconds);

  QList<TimeSeriesChart*> charts() const { return charts_; }
  TimeSeriesChart* requestsChart() const { return charts_.at(0); }
  TimeSeriesChart* latencyChart() const { return charts_.at(1); }
  HeadlineTile* tile(int index) const { return tiles_.at(index); }
  QCheckBox* logScaleBox() const { return log_scale_; }

 private:
  struct ChartSpec {
    TimeSeriesChart* chart;
    QList<Metric> metrics;
    bool node_only;  // drawn from the node's series whatever the route filter
  };

  void addChart(const QString& title, const QStringList& names, const QList<Metric>& metrics,
                TimeSeriesChart::Format format, const QList<QColor>& colors = {}, bool node_only = false);
  void rebuild();
  void append(int points);
  void pushRange(const ChartSpec& spec, const ScopeSeries& scope, int from);
  void updateTiles();

  StatsFeed* feed_;
  QComboBox* window_;
  QComboBox* route_;
  QCheckBox* log_scale_;
  QList<HeadlineTile*> tiles_;
  QList<TimeSeriesChart*> charts_;
  QList<ChartSpec> specs_;
};

}  // namespace sluice::console
