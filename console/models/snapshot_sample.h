#pragma once
// Reads one stats snapshot (docs/control-protocol.md, "Snapshot") into the numbers the charts draw:
// for the node (`totals`, `cache`, `rate_limits`) and for each route (`routes[]`). A route's hit ratio
// and rate-limited/s come from the policies the route uses (RouteLinks, from routes.list), since the
// snapshot counts those per policy. Missing fields read as 0; a hit ratio with no lookups in the
// second is NaN (the store keeps the previous value then). Plain functions, any thread.

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include "console/models/metric.h"

namespace sluice::console {

struct RouteLink {
  QString cache;            // cache policy name, empty when none
  QStringList rate_limits;  // policy names
};
using RouteLinks = QHash<QString, RouteLink>;

struct SnapshotSample {
  qint64 time_ms = 0;  // time_unix_ms
  MetricValues totals{};
  QList<QPair<QString, MetricValues>> routes;
};

SnapshotSample readSnapshot(const QJsonObject& snapshot, const RouteLinks& links);

}  // namespace sluice::console
