#pragma once
// Feeds the time-series store from a ControlConnection's stats stream, in batches: snapshots are
// queued as they come and applied at most every `batch_ms` (250 ms: about 4 updates a second),
// however fast they arrive, so a node (or a test) sending 10 or 100 a second cannot make the charts
// redraw that often. The queue holds at most the store's capacity; at the limit the oldest queued
// snapshot is dropped (the store would drop it anyway). A history (after each reconnect) replaces
// the store's content and emits reset(). Owns the store. GUI thread.

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTimer>
#include <deque>

#include "console/models/snapshot_sample.h"
#include "console/models/time_series_store.h"

namespace sluice::console {

class ControlConnection;

class StatsFeed : public QObject {
  Q_OBJECT

 public:
  explicit StatsFeed(QObject* parent = nullptr, int batch_ms = 250);

  // Follows `connection`'s statsReceived and historyReceived (no ownership).
  void attach(ControlConnection* connection);

  void addSnapshot(const QJsonObject& snapshot);
  void loadHistory(const QList<QJsonObject>& snapshots);
  // Which policies each route uses (routes.list), for per-route hit ratio and rate-limited/s.
  void setRouteLinks(const RouteLinks& links) { links_ = links; }

  const TimeSeriesStore& store() const { return store_; }
  const QJsonObject& latest() const { return latest_; }  // the newest snapshot applied
  int batchesApplied() const { return batches_; }
  int queued() const { return static_cast<int>(queue_.size()); }

 signals:
  // `points` new points were appended to the store (one batch).
  void updated(int points);
  // The store was refilled from a history: redraw from scratch.
  void reset();

 private:
  void flush();

  TimeSeriesStore store_;
  RouteLinks links_;
  std::deque<QJsonObject> queue_;
  QTimer batch_timer_;
  QJsonObject latest_;
  int batches_ = 0;
};

}  // namespace sluice::console
