// The console's models: table models checked with QAbstractItemModelTester, the time-series store's
// bounds (15 min at 1 Hz), and the stats feed's batching (a burst of snapshots → few updates).

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include "console/models/json_text.h"
#include "console/models/policy_table_model.h"
#include "console/models/route_table_model.h"
#include "console/models/snapshot_sample.h"
#include "console/models/stats_feed.h"
#include "console/models/time_series_store.h"
#include "console/models/upstream_table_model.h"
#include "tests/console/support/fake_engine.h"

using namespace sluice::console;
using sluice::console::test::makeSnapshot;

namespace {
QJsonArray array(const char* json) {
  return QJsonDocument::fromJson(json).array();
}
}  // namespace

class ModelsTest : public QObject {
  Q_OBJECT

 private slots:
  void jsonTextPrintsNumbersAsTheConfigWouldHoldThem() {
    QCOMPARE(jsonText(QJsonValue(100)), QString("100"));
    QCOMPARE(jsonText(QJsonValue(-3.0)), QString("-3"));
    QCOMPARE(jsonText(QJsonValue(0.25)), QString("0.25"));
    QCOMPARE(jsonText(QJsonValue(1e300)), QString("1e+300"));  // out of qint64's range: no cast
    QCOMPARE(jsonText(QJsonValue(true)), QString("true"));
    QCOMPARE(jsonText(QJsonArray{"a", 2}), QString("a, 2"));
  }

  void policyModelShowsKeysDefaultsAndRoutes() {
    PolicyTableModel model(PolicySchema::rateLimits());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPolicies(array(R"([{"name": "per_ip", "limit": 100, "window": "1m", "routes": ["api", "web"]},
                                {"name": "per_key", "key": "header:x-key", "limit": 5, "burst": 2, "routes": []}])"));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QString("name"));
    const int routes = model.columnCount() - 1;
    QCOMPARE(model.headerData(routes, Qt::Horizontal).toString(), QString("routes"));
    QCOMPARE(model.data(model.index(0, routes)).toString(), QString("api, web"));
    QCOMPARE(model.data(model.index(1, routes)).toString(), QString("(unused)"));
    const int algorithm = 1;
    QCOMPARE(model.headerData(algorithm, Qt::Horizontal).toString(), QString("algorithm"));
    // Not set: the default, greyed, with a tooltip saying so.
    QCOMPARE(model.data(model.index(0, algorithm)).toString(), QString("token_bucket"));
    QVERIFY(model.data(model.index(0, algorithm), Qt::ForegroundRole).isValid());
    QVERIFY(model.data(model.index(0, algorithm), Qt::ToolTipRole).toString().contains("default"));
    QCOMPARE(model.data(model.index(1, 3)).toString(), QString("5"));  // limit, an integer without ".0"
    QCOMPARE(model.rowOf("per_key"), 1);
    QCOMPARE(model.names(), (QStringList{"per_ip", "per_key"}));
    model.setPolicies({});
    QCOMPARE(model.rowCount(), 0);

    PolicyTableModel cache(PolicySchema::cachePolicies());
    QAbstractItemModelTester cache_tester(&cache, QAbstractItemModelTester::FailureReportingMode::QtTest);
    cache.setPolicies(array(R"([{"name": "short", "default_ttl": "30s", "routes": ["api"]}])"));
    QCOMPARE(cache.data(cache.index(0, 1)).toString(), QString("30s"));
    QCOMPARE(cache.data(cache.index(0, 2)).toString(), QString("1h"));
  }

  void upstreamModelFollowsListsAndSnapshots() {
    UpstreamTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setUpstreams(array(R"([{"name": "api", "balance": "least_conn", "servers": [
        {"address": "10.0.0.1:80", "drained": false, "down": false, "requests_total": 10, "failures_total": 0},
        {"address": "10.0.0.2:80", "drained": true, "down": false, "requests_total": 5, "failures_total": 1}]},
      {"name": "img", "balance": "round_robin", "servers": [
        {"address": "10.0.0.3:80", "drained": false, "down": true, "requests_total": 0, "failures_total": 9}]}])"));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.data(model.index(0, UpstreamTableModel::State)).toString(), QString("up"));
    QCOMPARE(model.data(model.index(1, UpstreamTableModel::State)).toString(), QString("drained"));
    QCOMPARE(model.data(model.index(2, UpstreamTableModel::State)).toString(), QString("down"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QJsonObject snapshot;
    snapshot.insert("upstreams",
                    array(R"([{"name": "api/10.0.0.1:80", "requests_per_s": 12.5, "requests_total": 99,
                                            "failures_total": 0, "down": true, "drained": false}])"));
    model.applySnapshot(snapshot);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(resets.count(), 0);  // live values never reset the table (the selection stays)
    QCOMPARE(model.data(model.index(0, UpstreamTableModel::RequestsPerS)).toString(), QString("12.5"));
    QCOMPARE(model.data(model.index(0, UpstreamTableModel::Requests)).toString(), QString("99"));
    QCOMPARE(model.data(model.index(0, UpstreamTableModel::State)).toString(), QString("down"));
    model.setDrained("img", "10.0.0.3:80", true);
    QCOMPARE(model.data(model.index(2, UpstreamTableModel::State)).toString(), QString("drained"));
  }

  void routeModelGivesLinks() {
    RouteTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRoutes(array(R"([
      {"name": "api", "match": {"host": "api.example.com", "path_prefix": "/v1/"}, "handler": "proxy",
       "upstream": "api", "cache": "short", "rate_limits": ["per_ip", "per_key"]},
      {"name": "status", "match": {"path_exact": "/status"}, "handler": "status", "upstream": null, "cache": null,
       "rate_limits": []}])"));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.names(), (QStringList{"api", "status"}));
    QCOMPARE(model.data(model.index(0, RouteTableModel::Target)).toString(), QString("upstream api"));
    QCOMPARE(model.data(model.index(1, RouteTableModel::Target)).toString(), QString("status"));
    QCOMPARE(model.data(model.index(0, RouteTableModel::RateLimits)).toString(), QString("per_ip, per_key"));
    const RouteLinks links = model.links();
    QCOMPARE(links.value("api").cache, QString("short"));
    QCOMPARE(links.value("api").rate_limits, (QStringList{"per_ip", "per_key"}));
    QVERIFY(links.value("status").cache.isEmpty());
  }

  void snapshotsBecomeMetricsForTheNodeAndRoutes() {
    RouteLinks links;
    links.insert("api", {"short", {"per_ip"}});
    const SnapshotSample sample = readSnapshot(makeSnapshot(5000, 200), links);
    QCOMPARE(sample.time_ms, 5000);
    QCOMPARE(sample.totals[metricIndex(Metric::RequestsPerS)], 200.0);
    QCOMPARE(sample.totals[metricIndex(Metric::Status2xx)], 180.0);
    QCOMPARE(sample.totals[metricIndex(Metric::Status5xx)], 2.0);
    QCOMPARE(sample.totals[metricIndex(Metric::LatencyP99)], 3.1);
    QCOMPARE(sample.totals[metricIndex(Metric::Connections)], 64.0);
    QCOMPARE(sample.totals[metricIndex(Metric::LimitedPerS)], 20.0);
    // hits + stale over hits + stale + misses: (120 + 10) / (120 + 10 + 20)
    QVERIFY(qAbs(sample.totals[metricIndex(Metric::HitRatio)] - 130.0 / 150.0) < 1e-9);
    QCOMPARE(sample.routes.size(), 2);
    QCOMPARE(sample.routes.at(0).first, QString("api"));
    QCOMPARE(sample.routes.at(0).second[metricIndex(Metric::RequestsPerS)], 150.0);
    QCOMPARE(sample.routes.at(0).second[metricIndex(Metric::LimitedPerS)], 20.0);
    QVERIFY(std::isnan(sample.routes.at(1).second[metricIndex(Metric::HitRatio)]));  // no cache on "static"
    // Unknown fields are ignored, missing ones read as 0.
    const SnapshotSample empty = readSnapshot(QJsonObject{{"time_unix_ms", 1}, {"new_field", 3}}, {});
    QCOMPARE(empty.totals[metricIndex(Metric::RequestsPerS)], 0.0);
  }

  void theStoreKeepsFifteenMinutes() {
    TimeSeriesStore store;
    QCOMPARE(store.capacity(), 900);
    const qint64 start = 1'700'000'000'000;
    for (int i = 0; i < 2000; ++i) {
      QVERIFY(store.append(readSnapshot(makeSnapshot(start + i * 1000, i), {})));
    }
    const ScopeSeries* node = store.scope();
    QCOMPARE(node->size(), 900);
    QCOMPARE(node->timeAt(0), start + 1100 * 1000);  // the oldest 1100 are gone
    QCOMPARE(node->valueAt(Metric::RequestsPerS, 899), 1999.0);
    QCOMPARE(store.scope("api")->size(), 900);
    QCOMPARE(store.routes(), (QStringList{"api", "static"}));
    QVERIFY(store.scope("nope") == nullptr);
    // Not newer than the newest: dropped (a history overlapping the stream).
    QVERIFY(!store.append(readSnapshot(makeSnapshot(start + 1999 * 1000), {})));
    QVERIFY(!store.append(readSnapshot(makeSnapshot(start), {})));
    QCOMPARE(node->size(), 900);
  }

  void theStoreCapsTheNumberOfRoutes() {
    TimeSeriesStore store(10);
    for (int t = 1; t <= 3; ++t) {
      SnapshotSample sample;
      sample.time_ms = t;
      for (int r = 0; r < TimeSeriesStore::kMaxRoutes + 50; ++r) {
        sample.routes.append({QString("r%1").arg(r), MetricValues{}});
      }
      QVERIFY(store.append(sample));
    }
    QCOMPARE(store.routes().size(), TimeSeriesStore::kMaxRoutes);
  }

  void aHitRatioWithoutLookupsKeepsThePreviousValue() {
    TimeSeriesStore store;
    SnapshotSample sample;
    sample.time_ms = 1;
    sample.totals[metricIndex(Metric::HitRatio)] = 0.75;
    store.append(sample);
    sample.time_ms = 2;
    sample.totals[metricIndex(Metric::HitRatio)] = std::numeric_limits<double>::quiet_NaN();
    store.append(sample);
    QCOMPARE(store.scope()->valueAt(Metric::HitRatio, 1), 0.75);
  }

  void aBurstOfSnapshotsIsAppliedInFewBatches() {
    StatsFeed feed;
    QSignalSpy updates(&feed, &StatsFeed::updated);
    const qint64 start = 1'700'000'000'000;
    for (int i = 0; i < 100; ++i) {
      feed.addSnapshot(makeSnapshot(start + i * 1000, i));
    }
    QCOMPARE(updates.count(), 0);  // nothing is applied inside the burst
    QTRY_COMPARE(feed.store().scope()->size(), 100);
    QVERIFY2(updates.count() <= 2, qPrintable(QString::number(updates.count())));
    int points = 0;
    for (const auto& update : updates) {
      points += update.first().toInt();
    }
    QCOMPARE(points, 100);
    QCOMPARE(feed.latest().value("time_unix_ms").toDouble(), double(start + 99 * 1000));
  }

  void snapshotsAtTenPerSecondAreAppliedAtMostFourTimesASecond() {
    StatsFeed feed;
    QSignalSpy updates(&feed, &StatsFeed::updated);
    qint64 time = 1'700'000'000'000;
    QTimer source;
    source.setInterval(20);  // 50 a second
    QObject::connect(&source, &QTimer::timeout, &feed,
                     [&]() { feed.addSnapshot(makeSnapshot(time += 1000)); });
    QElapsedTimer elapsed;
    elapsed.start();
    source.start();
    QTest::qWait(1000);
    source.stop();
    QTRY_COMPARE(feed.queued(), 0);
    const double seconds = elapsed.elapsed() / 1000.0;
    QVERIFY2(updates.count() <= 4 * seconds + 1,
             qPrintable(QString("%1 updates in %2 s").arg(updates.count()).arg(seconds)));
    QVERIFY(updates.count() >= 2);
    QVERIFY(feed.store().scope()->size() >= 20);
  }

  void aHistoryReplacesTheStoreAndResets() {
    StatsFeed feed;
    QSignalSpy resets(&feed, &StatsFeed::reset);
    feed.addSnapshot(makeSnapshot(99'000));
    QTRY_COMPARE(feed.store().scope()->size(), 1);
    feed.loadHistory({makeSnapshot(1000), makeSnapshot(2000), makeSnapshot(3000)});
    QCOMPARE(resets.count(), 1);
    QCOMPARE(feed.store().scope()->size(), 3);
    // An event that overlaps the history is dropped; a newer one is kept.
    feed.addSnapshot(makeSnapshot(3000));
    feed.addSnapshot(makeSnapshot(4000));
    QTRY_COMPARE(feed.queued(), 0);
    QCOMPARE(feed.store().scope()->size(), 4);
  }
};

QTEST_MAIN(ModelsTest)
#include "models_test.moc"
