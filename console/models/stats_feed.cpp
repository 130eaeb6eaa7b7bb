#include "console/models/stats_feed.h"

#include "console/client/control_connection.h"

namespace sluice::console {

StatsFeed::StatsFeed(QObject* parent, int batch_ms) : QObject(parent) {
  batch_timer_.setSingleShot(true);
  batch_timer_.setInterval(batch_ms);
  connect(&batch_timer_, &QTimer::timeout, this, &StatsFeed::flush);
}

void StatsFeed::attach(ControlConnection* connection) {
  connect(connection, &ControlConnection::statsReceived, this, &StatsFeed::addSnapshot);
  connect(connection, &ControlConnection::historyReceived, this, &StatsFeed::loadHistory);
}

void StatsFeed::addSnapshot(const QJsonObject& snapshot) {
  if (queue_.size() >= static_cast<size_t>(store_.capacity())) {
    queue_.pop_front();
  }
  queue_.push_back(snapshot);
  // The timer runs from the first snapshot of a batch: later ones join it instead of restarting it.
  if (!batch_timer_.isActive()) {
    batch_timer_.start();
  }
}

void StatsFeed::loadHistory(const QList<QJsonObject>& snapshots) {
  store_.clear();
  for (const QJsonObject& snapshot : snapshots) {
    store_.append(readSnapshot(snapshot, links_));
  }
  if (!snapshots.isEmpty()) {
    latest_ = snapshots.back();
  }
  // Events queued meanwhile are newer or get dropped by the store as duplicates.
  emit reset();
}

void StatsFeed::flush() {
  int points = 0;
  while (!queue_.empty()) {
    const QJsonObject snapshot = std::move(queue_.front());
    queue_.pop_front();
    if (store_.append(readSnapshot(snapshot, links_))) {
      latest_ = snapshot;
      ++points;
    }
  }
  ++batches_;
  if (points > 0) {
    emit updated(points);
  }
}

}  // namespace sluice::console
