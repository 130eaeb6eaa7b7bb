#include "console/models/time_series_store.h"

#include <cmath>

namespace sluice::console {

ScopeSeries::ScopeSeries(int capacity) : times_(capacity) {
  for (auto& ring : values_) {
    ring = RingBuffer<double>(capacity);
  }
}

void ScopeSeries::append(qint64 time_ms, const MetricValues& values) {
  times_.push(time_ms);
  for (int i = 0; i < kMetricCount; ++i) {
    double value = values[i];
    if (std::isnan(value)) {
      // No cache lookups this second: the ratio is unknown, so the line stays where it was.
      value = values_[i].isEmpty() ? 0.0 : values_[i].back();
    }
    values_[i].push(value);
  }
}

TimeSeriesStore::TimeSeriesStore(int capacity) : capacity_(capacity), totals_(capacity) {}

bool TimeSeriesStore::append(const SnapshotSample& sample) {
  if (totals_.size() > 0 && sample.time_ms <= totals_.newestTime()) {
    return false;
  }
  totals_.append(sample.time_ms, sample.totals);
  for (const auto& [name, values] : sample.routes) {
    auto it = routes_.find(name);
    if (it == routes_.end()) {
      if (routes_.size() >= kMaxRoutes) {
        continue;
      }
      it = routes_.insert(name, std::make_shared<ScopeSeries>(capacity_));
      route_order_.append(name);
    }
    (*it)->append(sample.time_ms, values);
  }
  return true;
}

void TimeSeriesStore::clear() {
  totals_ = ScopeSeries(capacity_);
  routes_.clear();
  route_order_.clear();
}

const ScopeSeries* TimeSeriesStore::scope(const QString& route) const {
  if (route.isEmpty()) {
    return &totals_;
  }
  const auto it = routes_.constFind(route);
  return it == routes_.cend() ? nullptr : it->get();
}

}  // namespace sluice::console
