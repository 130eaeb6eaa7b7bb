#include "console/charts/qt_charts_time_series_chart.h"

#include <QDateTime>
#include <QLabel>
#include <QMouseEvent>
#include <QTimer>
#include <QVBoxLayout>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>
#include <functional>

#include "console/charts/value_format.h"

namespace sluice::console {

namespace {

// Log axes cannot show 0: values below this floor (1 µs in ms, the histograms' resolution) are drawn at it.
constexpr double kLogFloor = 0.001;

const QList<QColor>& defaultColors() {
  static const QList<QColor> colors = {QColor(0x2e, 0x7d, 0x32), QColor(0x15, 0x65, 0xc0),
                                       QColor(0xef, 0x6c, 0x00), QColor(0xc6, 0x28, 0x28),
                                       QColor(0x6a, 0x1b, 0x9a), QColor(0x00, 0x83, 0x8f)};
  return colors;
}

// Reports mouse moves over the plot without a moc'd class of its own.
class HoverChartView : public QChartView {
 public:
  using QChartView::QChartView;
  std::function<void(const QPoint&)> on_move;
  std::function<void()> on_leave;

 protected:
  void mouseMoveEvent(QMouseEvent* event) override {
    if (on_move) {
      on_move(event->position().toPoint());
    }
    QChartView::mouseMoveEvent(event);
  }
  void leaveEvent(QEvent* event) override {
    if (on_leave) {
      on_leave();
    }
    QChartView::leaveEvent(event);
  }
};

}  // namespace

QtChartsTimeSeriesChart::QtChartsTimeSeriesChart(QWidget* parent, int capacity)
    : TimeSeriesChart(parent), capacity_(capacity), times_(capacity) {
  chart_ = new QChart();
  chart_->legend()->setAlignment(Qt::AlignTop);
  chart_->setMargins(QMargins(4, 2, 4, 2));
  chart_->setBackgroundRoundness(0);
  auto* view = new HoverChartView(chart_, this);  // the view owns the chart
  view->setRenderHint(QPainter::Antialiasing);
  view->setMouseTracking(true);
  view->setFocusPolicy(Qt::NoFocus);
  view->on_move = [this](const QPoint& pos) { showValuesAt(pos); };
  view->on_leave = [this]() { hover_label_->hide(); };
  view_ = view;

  time_axis_ = new QDateTimeAxis(chart_);
  time_axis_->setFormat(QStringLiteral("HH:mm:ss"));
  time_axis_->setTickCount(5);
  chart_->addAxis(time_axis_, Qt::AlignBottom);
  attachValueAxis();

  hover_label_ = new QLabel(view_);
  hover_label_->setStyleSheet(QStringLiteral(
      "QLabel { background: rgba(255,255,255,230); border: 1px solid #999; padding: 2px 4px; }"));
  hover_label_->hide();

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(view_);
  setMinimumHeight(160);
}

QtChartsTimeSeriesChart::~QtChartsTimeSeriesChart() = default;

void QtChartsTimeSeriesChart::setTitle(const QString& title) {
  chart_->setTitle(title);
}

void QtChartsTimeSeriesChart::setSeries(const QStringList& names, const QList<QColor>& colors) {
  for (QLineSeries* series : series_) {
    chart_->removeSeries(series);
    delete series;
  }
  series_.clear();
  values_.clear();
  colors_.clear();
  names_ = names;
  times_.clear();
  for (int i = 0; i < names.size(); ++i) {
    auto* series = new QLineSeries(chart_);
    series->setName(names.at(i));
    const QColor color = i < colors.size() ? colors.at(i) : defaultColors().at(i % defaultColors().size());
    QPen pen(color);
    pen.setWidthF(1.6);
    series->setPen(pen);
    chart_->addSeries(series);
    series->attachAxis(time_axis_);
    series->attachAxis(value_axis_);
    series_.append(series);
    colors_.append(color);
    values_.append(RingBuffer<double>(capacity_));
  }
  scheduleRedraw();
}

void QtChartsTimeSeriesChart::pushPoint(qint64 time_ms, const QList<double>& values) {
  if (!times_.isEmpty() && time_ms <= times_.back()) {
    return;
  }
  times_.push(time_ms);
  for (int i = 0; i < values_.size(); ++i) {
    values_[i].push(i < values.size() ? values.at(i) : 0.0);
  }
  scheduleRedraw();
}

void QtChartsTimeSeriesChart::clearPoints() {
  times_.clear();
  for (auto& ring : values_) {
    ring.clear();
  }
  scheduleRedraw();
}

void QtChartsTimeSeriesChart::setWindow(int seconds) {
  window_s_ = std::max(seconds, 10);
  scheduleRedraw();
}

void QtChartsTimeSeriesChart::setLogScale(bool on) {
  if (log_scale_ == on) {
    return;
  }
  log_scale_ = on;
  attachValueAxis();
  scheduleRedraw();
}

void QtChartsTimeSeriesChart::setFormat(Format format) {
  format_ = format;
  attachValueAxis();
  scheduleRedraw();
}

QColor QtChartsTimeSeriesChart::seriesColor(int index) const {
  return index >= 0 && index < colors_.size() ? colors_.at(index) : QColor();
}

QString QtChartsTimeSeriesChart::hoverText() const {
  return hover_label_->isVisible() ? hover_label_->text() : QString();
}

QRect QtChartsTimeSeriesChart::plotRect() const {
  const QRectF area = chart_->plotArea();
  const QPoint top_left = view_->mapTo(this, view_->mapFromScene(area.topLeft()));
  const QPoint bottom_right = view_->mapTo(this, view_->mapFromScene(area.bottomRight()));
  return QRect(top_left, bottom_right);
}

void QtChartsTimeSeriesChart::attachValueAxis() {
  if (value_axis_ != nullptr) {
    for (QLineSeries* series : series_) {
      series->detachAxis(value_axis_);
    }
    chart_->removeAxis(value_axis_);
    delete value_axis_;
  }
  if (log_scale_) {
    auto* axis = new QLogValueAxis(chart_);
    axis->setBase(10);
    axis->setLabelFormat(QStringLiteral("%g"));
    axis->setMinorTickCount(-1);
    value_axis_ = axis;
  } else {
    auto* axis = new QValueAxis(chart_);
    axis->setLabelFormat(format_ == Format::Percent ? QStringLiteral("%.0f%%") : QStringLiteral("%g"));
    axis->setTickCount(5);
    value_axis_ = axis;
  }
  chart_->addAxis(value_axis_, Qt::AlignLeft);
  for (QLineSeries* series : series_) {
    series->attachAxis(value_axis_);
  }
}

void QtChartsTimeSeriesChart::scheduleRedraw() {
  if (redraw_pending_) {
    return;
  }
  redraw_pending_ = true;
  QTimer::singleShot(0, this, [this]() {
    redraw_pending_ = false;
    redraw();
  });
}

void QtChartsTimeSeriesChart::redraw() {
  const qint64 newest = times_.isEmpty() ? QDateTime::currentMSecsSinceEpoch() : times_.back();
  const qint64 oldest = newest - qint64{window_s_} * 1000;
  int first = 0;
  while (first < times_.size() && times_.at(first) < oldest) {
    ++first;
  }
  double scale = format_ == Format::Percent ? 100.0 : 1.0;
  if (format_ == Format::Bytes) {
    // Bytes are drawn in the largest unit that keeps the axis labels short (KiB/s, MiB/s...).
    double peak = 0;
    for (int s = 0; s < series_.size(); ++s) {
      for (int i = first; i < times_.size(); ++i) {
        peak = std::max(peak, values_.at(s).at(i));
      }
    }
    static const char* const units[] = {"B/s", "KiB/s", "MiB/s", "GiB/s"};
    int unit = 0;
    while (peak >= 2048 && unit < 3) {
      peak /= 1024;
      scale /= 1024;
      ++unit;
    }
    value_axis_->setTitleText(QLatin1String(units[unit]));
  }
  double high = 0;
  double low_positive = INFINITY;
  for (int s = 0; s < series_.size(); ++s) {
    QList<QPointF> points;
    points.reserve(times_.size() - first);
    for (int i = first; i < times_.size(); ++i) {
      double value = values_.at(s).at(i) * scale;
      if (!std::isfinite(value)) {
        value = 0;
      }
      high = std::max(high, value);
      if (value > 0) {
        low_positive = std::min(low_positive, value);
      }
      if (log_scale_) {
        value = std::max(value, kLogFloor);
      }
      points.append(QPointF(static_cast<qreal>(times_.at(i)), value));
    }
    series_.at(s)->replace(points);
  }
  time_axis_->setRange(QDateTime::fromMSecsSinceEpoch(oldest), QDateTime::fromMSecsSinceEpoch(newest));
  if (log_scale_) {
    const double low = std::isfinite(low_positive) ? std::max(low_positive / 2, kLogFloor) : kLogFloor;
    value_axis_->setRange(low, std::max(high * 2, low * 10));
  } else if (format_ == Format::Percent) {
    value_axis_->setRange(0, 100);
  } else {
    auto* axis = static_cast<QValueAxis*>(value_axis_);
    axis->setRange(0, high > 0 ? high * 1.15 : 1.0);
    axis->applyNiceNumbers();
  }
}

void QtChartsTimeSeriesChart::showValuesAt(const QPoint& view_pos) {
  if (times_.isEmpty() || series_.isEmpty()) {
    hover_label_->hide();
    return;
  }
  const QPointF scene = view_->mapToScene(view_pos);
  if (!chart_->plotArea().contains(scene)) {
    hover_label_->hide();
    return;
  }
  const qint64 at = static_cast<qint64>(chart_->mapToValue(scene, series_.first()).x());
  // The nearest point in time (times grow, so a binary search).
  int lo = 0;
  int hi = times_.size() - 1;
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    if (times_.at(mid) < at) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo > 0 && std::llabs(times_.at(lo - 1) - at) < std::llabs(times_.at(lo) - at)) {
    --lo;
  }
  QStringList lines{QDateTime::fromMSecsSinceEpoch(times_.at(lo)).toString(QStringLiteral("HH:mm:ss"))};
  for (int s = 0; s < series_.size(); ++s) {
    lines.append(
        QStringLiteral("<span style='color:%1'>■</span> %2: %3")
            .arg(colors_.at(s).name(), names_.at(s).toHtmlEscaped(), formatValue(values_.at(s).at(lo))));
  }
  hover_label_->setText(lines.join(QStringLiteral("<br>")));
  hover_label_->adjustSize();
  QPoint place = view_pos + QPoint(14, 10);
  if (place.x() + hover_label_->width() > view_->width()) {
    place.setX(view_pos.x() - hover_label_->width() - 10);
  }
  if (place.y() + hover_label_->height() > view_->height()) {
    place.setY(view_->height() - hover_label_->height());
  }
  hover_label_->move(place);
  hover_label_->show();
  hover_label_->raise();
}

QString QtChartsTimeSeriesChart::formatValue(double value) const {
  switch (format_) {
    case Format::Milliseconds:
      return formatMilliseconds(value);
    case Format::Percent:
      return formatPercent(value);
    case Format::Bytes:
      return formatBytesPerSecond(value);
    case Format::Plain:
    default:
      return formatCount(value);
  }
}

TimeSeriesChart* createTimeSeriesChart(QWidget* parent, int capacity) {
  return new QtChartsTimeSeriesChart(parent, capacity);
}

}  // namespace sluice::console
