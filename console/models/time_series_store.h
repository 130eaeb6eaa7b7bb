#pragma once
// The console's memory of the node's last 15 minutes: one bounded ring per metric, for the node
// ("" scope) and for each route, fed one SnapshotSample per second. At the capacity (900 points =
// 15 min at 1 Hz) the oldest point goes; at most kMaxRoutes routes are kept (routes past that are
// not charted). A sample not newer than the newest point is dropped, so a history fetched after a
// reconnect and events that overlap it never draw a line backwards. Plain class, GUI thread.

#include <QHash>
#include <QStringList>
#include <array>
#include <memory>

#include "console/models/metric.h"
#include "console/models/ring_buffer.h"
#include "console/models/snapshot_sample.h"

namespace sluice::console {

class ScopeSeries {
 public:
  explicit ScopeSeries(int capacity);
  void append(qint64 time_ms, const MetricValues& values);
  int size() const { return times_.size(); }
  qint64 timeAt(int i) const { return times_.at(i); }
  double valueAt(Metric metric, int i) const { return values_[metricIndex(metric)].at(i); }
  qint64 newestTime() const { return times_.isEmpty() ? 0 : times_.back(); }

 private:
  RingBuffer<qint64> times_;
  std::array<RingBuffer<double>, kMetricCount> values_;
};

class TimeSeriesStore {
 public:
  static constexpr int kDefaultCapacity = 900;
  static constexpr int kMaxRoutes = 128;

  explicit TimeSeriesStore(int capacity = kDefaultCapacity);

  // False when the sample is not newer than the newest point (dropped).
  bool append(const SnapshotSample& sample);
  void clear();

  int capacity() const { return capacity_; }
  // The node's series (`route` empty) or a route's; nullptr for a route never seen.
  const ScopeSeries* scope(const QString& route = {}) const;
  QStringList routes() const { return route_order_; }  // in the order first seen

 private:
  int capacity_;
  ScopeSeries totals_;
  QHash<QString, std::shared_ptr<ScopeSeries>> routes_;
  QStringList route_order_;
};

}  // namespace sluice::console
