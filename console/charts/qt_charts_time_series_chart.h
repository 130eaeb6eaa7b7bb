#pragma once
// TimeSeriesChart drawn with Qt Charts: a QChartView with one QLineSeries per series, a time axis
// and a linear or logarithmic value axis. The points live in bounded rings (RingBuffer); the line
// series only ever hold the visible window, rebuilt with one replace() per redraw, and redraws are
// coalesced to one per event-loop turn. Owns its view, chart, series, axes and rings. GUI thread.

#include <QPointer>
#include <memory>

#include "console/charts/time_series_chart.h"
#include "console/models/ring_buffer.h"

class QChart;
class QChartView;
class QLineSeries;
class QAbstractAxis;
class QDateTimeAxis;
class QLabel;

namespace sluice::console {

class QtChartsTimeSeriesChart : public TimeSeriesChart {
  Q_OBJECT

 public:
  explicit QtChartsTimeSeriesChart(QWidget* parent = nullptr, int capacity = 900);
  ~QtChartsTimeSeriesChart() override;

  void setTitle(const QString& title) override;
  void setSeries(const QStringList& names, const QList<QColor>& colors = {}) override;
  void pushPoint(qint64 time_ms, const QList<double>& values) override;
  void clearPoints() override;
  void setWindow(int seconds) override;
  void setLogScale(bool on) override;
  void setFormat(Format format) override;

  int pointCount() const override { return times_.size(); }
  QColor seriesColor(int index) const override;
  QString hoverText() const override;
  QRect plotRect() const override;

 private:
  void scheduleRedraw();
  void redraw();
  void attachValueAxis();
  void showValuesAt(const QPoint& view_pos);
  QString formatValue(double value) const;

  int capacity_;
  QChartView* view_;
  QChart* chart_;
  QDateTimeAxis* time_axis_;
  QAbstractAxis* value_axis_ = nullptr;
  QLabel* hover_label_;
  QList<QLineSeries*> series_;
  QList<QColor> colors_;
  QStringList names_;
  RingBuffer<qint64> times_;
  QList<RingBuffer<double>> values_;
  int window_s_ = 300;
  bool log_scale_ = false;
  bool redraw_pending_ = false;
  Format format_ = Format::Plain;
};

}  // namespace sluice::console
