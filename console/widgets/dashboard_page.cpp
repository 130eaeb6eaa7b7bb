#include "console/widgets/dashboard_page.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>

#include "console/charts/value_format.h"
#include "console/models/stats_feed.h"
#include "console/widgets/headline_tile.h"

namespace sluice::console {

namespace {
const QColor k2xx(0x2e, 0x7d, 0x32);
const QColor k3xx(0x15, 0x65, 0xc0);
const QColor k4xx(0xef, 0x6c, 0x00);
const QColor k5xx(0xc6, 0x28, 0x28);
}  // namespace

DashboardPage::DashboardPage(StatsFeed* feed, QWidget* parent) : QWidget(parent), feed_(feed) {
  auto* layout = new QVBoxLayout(this);

  auto* tiles = new QHBoxLayout();
  const QList<QPair<QString, QString>> tile_specs = {
      {tr("Requests/s"), tr("Requests in the last second")},
      {tr("Requests/min"), tr("Requests in the last 60 seconds")},
      {tr("p99 latency"), tr("99th percentile of response times in the last second")},
      {tr("Errors"), tr("5xx responses as a share of all responses in the last second")},
      {tr("Cache hits"), tr("Cache lookups served from the cache (fresh or stale) in the last second")}};
  for (const auto& [caption, tooltip] : tile_specs) {
    auto* tile = new HeadlineTile(caption, tooltip, this);
    tiles->addWidget(tile);
    tiles_.append(tile);
  }
  layout->addLayout(tiles);

  auto* controls = new QHBoxLayout();
  window_ = new QComboBox(this);
  window_->addItem(tr("1 minute"), 60);
  window_->addItem(tr("5 minutes"), 300);
  window_->addItem(tr("15 minutes"), 900);
  window_->setCurrentIndex(1);
  auto* window_label = new QLabel(tr("&Window:"), this);
  window_label->setBuddy(window_);
  route_ = new QComboBox(this);
  route_->addItem(tr("All routes"), QString());
  route_->setMinimumContentsLength(16);
  auto* route_label = new QLabel(tr("&Route:"), this);
  route_label->setBuddy(route_);
  log_scale_ = new QCheckBox(tr("&Log scale latency"), this);
  controls->addWidget(window_label);
  controls->addWidget(window_);
  controls->addSpacing(16);
  controls->addWidget(route_label);
  controls->addWidget(route_);
  controls->addSpacing(16);
  controls->addWidget(log_scale_);
  controls->addStretch(1);
  layout->addLayout(controls);

  auto* grid = new QGridLayout();
  grid->setSpacing(6);
  layout->addLayout(grid, 1);
  addChart(tr("Requests/s by status"), {"2xx", "3xx", "4xx", "5xx"},
           {Metric::Status2xx, Metric::Status3xx, Metric::Status4xx, Metric::Status5xx},
           TimeSeriesChart::Format::Plain, {k2xx, k3xx, k4xx, k5xx});
  addChart(tr("Latency (ms)"), {"p50", "p95", "p99"},
           {Metric::LatencyP50, Metric::LatencyP95, Metric::LatencyP99},
           TimeSeriesChart::Format::Milliseconds, {k2xx, k4xx, k5xx});
  addChart(tr("Cache hit ratio (%)"), {tr("hit ratio")}, {Metric::HitRatio}, TimeSeriesChart::Format::Percent,
           {k3xx});
  addChart(tr("Rate-limited/s"), {tr("limited")}, {Metric::LimitedPerS}, TimeSeriesChart::Format::Plain,
           {k4xx});
  addChart(tr("Active connections (node)"), {tr("connections")}, {Metric::Connections},
           TimeSeriesChart::Format::Plain, {QColor(0x6a, 0x1b, 0x9a)}, true);
  addChart(tr("Bytes/s"), {tr("in"), tr("out")}, {Metric::BytesInPerS, Metric::BytesOutPerS},
           TimeSeriesChart::Format::Bytes, {k3xx, k2xx});
  for (int i = 0; i < charts_.size(); ++i) {
    grid->addWidget(charts_.at(i), i / 3, i % 3);
  }
  for (int column = 0; column < 3; ++column) {
    grid->setColumnStretch(column, 1);
  }

  connect(feed_, &StatsFeed::updated, this, &DashboardPage::append);
  connect(feed_, &StatsFeed::reset, this, &DashboardPage::rebuild);
  connect(window_, &QComboBox::currentIndexChanged, this, [this]() {
    for (TimeSeriesChart* chart : charts_) {
      chart->setWindow(window_->currentData().toInt());
    }
  });
  connect(route_, &QComboBox::currentIndexChanged, this, &DashboardPage::rebuild);
  connect(log_scale_, &QCheckBox::toggled, this, [this](bool on) { latencyChart()->setLogScale(on); });
  setTabOrder(window_, route_);
  setTabOrder(route_, log_scale_);
  rebuild();
}

void DashboardPage::addChart(const QString& title, const QStringList& names, const QList<Metric>& metrics,
                             TimeSeriesChart::Format format, const QList<QColor>& colors, bool node_only) {
  TimeSeriesChart* chart = createTimeSeriesChart(this, TimeSeriesStore::kDefaultCapacity);
  chart->setTitle(title);
  chart->setFormat(format);
  chart->setSeries(names, colors);
  chart->setWindow(window_->currentData().toInt());
  charts_.append(chart);
  specs_.append({chart, metrics, node_only});
}

void DashboardPage::setRoutes(const QStringList& routes) {
  const QString current = routeFilter();
  const QSignalBlocker blocker(route_);
  route_->clear();
  route_->addItem(tr("All routes"), QString());
  for (const QString& route : routes) {
    route_->addItem(route, route);
  }
  const int index = route_->findData(current);
  route_->setCurrentIndex(index < 0 ? 0 : index);
  if (index < 0 && !current.isEmpty()) {
    rebuild();
  }
}

QString DashboardPage::routeFilter() const {
  return route_->currentData().toString();
}

void DashboardPage::setRouteFilter(const QString& route) {
  const int index = route_->findData(route);
  if (index >= 0) {
    route_->setCurrentIndex(index);
  }
}

void DashboardPage::setWindowSeconds(int seconds) {
  const int index = window_->findData(seconds);
  if (index >= 0) {
    window_->setCurrentIndex(index);
  }
}

void DashboardPage::rebuild() {
  const QString route = routeFilter();
  for (const ChartSpec& spec : specs_) {
    spec.chart->clearPoints();
    const ScopeSeries* scope = feed_->store().scope(spec.node_only ? QString() : route);
    if (scope != nullptr) {
      pushRange(spec, *scope, 0);
    }
  }
  updateTiles();
}

void DashboardPage::append(int points) {
  const QString route = routeFilter();
  for (const ChartSpec& spec : specs_) {
    const ScopeSeries* scope = feed_->store().scope(spec.node_only ? QString() : route);
    if (scope != nullptr) {
      // A route may have fewer new points than the node: the chart ignores times it already has.
      pushRange(spec, *scope, std::max(0, scope->size() - points));
    }
  }
  updateTiles();
}

void DashboardPage::pushRange(const ChartSpec& spec, const ScopeSeries& scope, int from) {
  QList<double> values(spec.metrics.size());
  for (int i = from; i < scope.size(); ++i) {
    for (int m = 0; m < spec.metrics.size(); ++m) {
      values[m] = scope.valueAt(spec.metrics.at(m), i);
    }
    spec.chart->pushPoint(scope.timeAt(i), values);
  }
}

void DashboardPage::updateTiles() {
  const ScopeSeries* scope = feed_->store().scope(routeFilter());
  if (scope == nullptr || scope->size() == 0) {
    for (HeadlineTile* tile : tiles_) {
      tile->setValue(QStringLiteral("—"));
    }
    return;
  }
  const int last = scope->size() - 1;
  const double rps = scope->valueAt(Metric::RequestsPerS, last);
  double per_minute = 0;
  for (int i = std::max(0, scope->size() - 60); i < scope->size(); ++i) {
    per_minute += scope->valueAt(Metric::RequestsPerS, i);
  }
  const double errors = scope->valueAt(Metric::Status5xx, last);
  tiles_.at(0)->setValue(formatCount(rps));
  tiles_.at(1)->setValue(formatCount(per_minute));
  tiles_.at(2)->setValue(formatMilliseconds(scope->valueAt(Metric::LatencyP99, last)));
  tiles_.at(3)->setValue(rps > 0 ? formatPercent(errors / rps) : QStringLiteral("—"));
  tiles_.at(4)->setValue(formatPercent(scope->valueAt(Metric::HitRatio, last)));
}

}  // namespace sluice::console
