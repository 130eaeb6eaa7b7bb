#include "console/models/snapshot_sample.h"

#include <QJsonArray>
#include <cmath>
#include <limits>

namespace sluice::console {

namespace {

double number(const QJsonObject& object, const char* key) {
  return object.value(QLatin1String(key)).toDouble(0.0);
}

// Status classes, latency and bytes: the fields `totals` and `routes[]` share.
void readTraffic(const QJsonObject& traffic, MetricValues& values) {
  const QJsonObject by_status = traffic.value(QLatin1String("by_status")).toObject();
  const QJsonObject latency = traffic.value(QLatin1String("latency_ms")).toObject();
  values[metricIndex(Metric::RequestsPerS)] = number(traffic, "requests_per_s");
  values[metricIndex(Metric::Status2xx)] = number(by_status, "2xx");
  values[metricIndex(Metric::Status3xx)] = number(by_status, "3xx");
  values[metricIndex(Metric::Status4xx)] = number(by_status, "4xx");
  values[metricIndex(Metric::Status5xx)] = number(by_status, "5xx");
  values[metricIndex(Metric::LatencyP50)] = number(latency, "p50");
  values[metricIndex(Metric::LatencyP95)] = number(latency, "p95");
  values[metricIndex(Metric::LatencyP99)] = number(latency, "p99");
  values[metricIndex(Metric::BytesInPerS)] = number(traffic, "bytes_in_per_s");
  values[metricIndex(Metric::BytesOutPerS)] = number(traffic, "bytes_out_per_s");
}

struct Lookups {
  double hits = 0;
  double lookups = 0;
  void add(const QJsonObject& policy) {
    const QJsonObject per_s = policy.value(QLatin1String("per_s")).toObject();
    const double served = number(per_s, "hits") + number(per_s, "stale");
    hits += served;
    lookups += served + number(per_s, "misses");
  }
  double ratio() const { return lookups > 0 ? hits / lookups : std::numeric_limits<double>::quiet_NaN(); }
};

}  // namespace

SnapshotSample readSnapshot(const QJsonObject& snapshot, const RouteLinks& links) {
  SnapshotSample sample;
  sample.time_ms = static_cast<qint64>(number(snapshot, "time_unix_ms"));
  const QJsonObject totals = snapshot.value(QLatin1String("totals")).toObject();
  readTraffic(totals, sample.totals);
  sample.totals[metricIndex(Metric::Connections)] = number(totals, "connections_active");

  QHash<QString, QJsonObject> cache_policies;
  Lookups all_lookups;
  const QJsonArray policies =
      snapshot.value(QLatin1String("cache")).toObject().value(QLatin1String("policies")).toArray();
  for (const QJsonValue& value : policies) {
    const QJsonObject policy = value.toObject();
    cache_policies.insert(policy.value(QLatin1String("name")).toString(), policy);
    all_lookups.add(policy);
  }
  sample.totals[metricIndex(Metric::HitRatio)] = all_lookups.ratio();

  QHash<QString, double> limited;
  double all_limited = 0;
  for (const QJsonValue& value : snapshot.value(QLatin1String("rate_limits")).toArray()) {
    const QJsonObject limit = value.toObject();
    const double per_s = number(limit, "limited_per_s");
    limited.insert(limit.value(QLatin1String("name")).toString(), per_s);
    all_limited += per_s;
  }
  sample.totals[metricIndex(Metric::LimitedPerS)] = all_limited;

  for (const QJsonValue& value : snapshot.value(QLatin1String("routes")).toArray()) {
    const QJsonObject route = value.toObject();
    const QString name = route.value(QLatin1String("name")).toString();
    MetricValues values{};
    readTraffic(route, values);
    const auto link = links.constFind(name);
    values[metricIndex(Metric::HitRatio)] = std::numeric_limits<double>::quiet_NaN();
    if (link != links.cend()) {
      if (!link->cache.isEmpty() && cache_policies.contains(link->cache)) {
        Lookups lookups;
        lookups.add(cache_policies.value(link->cache));
        values[metricIndex(Metric::HitRatio)] = lookups.ratio();
      }
      double route_limited = 0;
      for (const QString& policy : link->rate_limits) {
        route_limited += limited.value(policy, 0.0);
      }
      values[metricIndex(Metric::LimitedPerS)] = route_limited;
    }
    sample.routes.append({name, values});
  }
  return sample;
}

}  // namespace sluice::console
