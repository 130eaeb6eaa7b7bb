#pragma once
// The console's only view of a charting library: a widget that draws a few named series against
// time. Pages push points; the implementation keeps them in bounded rings (`capacity` points per
// series, oldest dropped) and redraws at most once per event-loop turn however many points arrive.
// Hovering shows the values at the cursor in a small label. Qt Charts is deprecated after Qt 6.10:
// nothing outside console/charts/ includes its headers, so a Qt Graphs implementation can replace
// QtChartsTimeSeriesChart behind createTimeSeriesChart(). GUI thread.

#include <QColor>
#include <QList>
#include <QStringList>
#include <QWidget>

namespace sluice::console {

class TimeSeriesChart : public QWidget {
  Q_OBJECT

 public:
  using QWidget::QWidget;
  ~TimeSeriesChart() override = default;

  virtual void setTitle(const QString& title) = 0;
  // Replaces the series (and drops all points); colours default to a fixed palette.
  virtual void setSeries(const QStringList& names, const QList<QColor>& colors = {}) = 0;
  // One value per series, at `time_ms` (Unix ms). Times must grow; older ones are ignored.
  virtual void pushPoint(qint64 time_ms, const QList<double>& values) = 0;
  virtual void clearPoints() = 0;
  // The visible span, ending at the newest point.
  virtual void setWindow(int seconds) = 0;
  virtual void setLogScale(bool on) = 0;
  // How values are written on the axis and in the hover label: "%1 req/s", "%1 ms", a percentage...
  enum class Format { Plain, Milliseconds, Percent, Bytes };
  virtual void setFormat(Format format) = 0;

  // For tests and the hover label.
  virtual int pointCount() const = 0;
  virtual QColor seriesColor(int index) const = 0;
  virtual QString hoverText() const = 0;
  // The plot area in this widget's coordinates.
  virtual QRect plotRect() const = 0;
};

// The implementation in use (Qt Charts today).
TimeSeriesChart* createTimeSeriesChart(QWidget* parent = nullptr, int capacity = 900);

}  // namespace sluice::console
