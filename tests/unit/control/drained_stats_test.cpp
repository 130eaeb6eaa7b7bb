// The `drained` state of upstream servers in the stats: the aggregator asks its drained source once
// per tick (the node's DrainBoard), the snapshot JSON carries `"drained"`, and Prometheus has
// sluice_upstream_server_drained{upstream,server}.

#include <QtTest>
#include <chrono>
#include <string>

#include "engine/control/prometheus.h"
#include "engine/control/stats_aggregator.h"
#include "engine/control/stats_snapshot.h"
#include "engine/proxy/drain_board.h"
#include "engine/stats/worker_stats.h"

using namespace sluice;

namespace {

const control::UpstreamServerSnapshot* find(const control::StatsSnapshot& s, const std::string& name) {
  for (const auto& u : s.upstreams) {
    if (u.name == name) {
      return &u;
    }
  }
  return nullptr;
}

}  // namespace

class DrainedStatsTest : public QObject {
  Q_OBJECT

 private slots:
  void drainedFlagFollowsTheBoardEachTick() {
    stats::WorkerStats w;
    w.upstreamServer("api/10.0.0.1:80");
    w.upstreamServer("api/10.0.0.2:80");
    w.upstreamServer("web/10.0.0.1:80");
    proxy::DrainBoard board;
    control::StatsAggregator agg({&w});
    agg.setDrainedSource([&board](std::string_view u, std::string_view s) { return board.drained(u, s); });
    auto t = std::chrono::system_clock::time_point{std::chrono::seconds(1700000000)};

    agg.tick(t);
    QVERIFY(!find(agg.latest(), "api/10.0.0.1:80")->drained);

    board.setDrained("api", "10.0.0.1:80", true);
    agg.tick(t += std::chrono::seconds(1));
    QVERIFY(find(agg.latest(), "api/10.0.0.1:80")->drained);
    QVERIFY(!find(agg.latest(), "api/10.0.0.2:80")->drained);
    QVERIFY(!find(agg.latest(), "web/10.0.0.1:80")->drained);  // same server, other upstream
    QVERIFY(agg.totals().upstreams.size() == 3);

    const nlohmann::json j = control::toJson(agg.latest());
    bool seen = false;
    for (const auto& u : j["upstreams"]) {
      QVERIFY(u.contains("drained"));
      if (u["name"] == "api/10.0.0.1:80") {
        QCOMPARE(u["drained"], nlohmann::json(true));
        seen = true;
      } else {
        QCOMPARE(u["drained"], nlohmann::json(false));
      }
    }
    QVERIFY(seen);

    const std::string text = control::renderPrometheus(agg, control::PrometheusInfo{});
    QVERIFY(text.find("# TYPE sluice_upstream_server_drained gauge\n") != std::string::npos);
    QVERIFY(text.find("sluice_upstream_server_drained{upstream=\"api\",server=\"10.0.0.1:80\"} 1\n") !=
            std::string::npos);
    QVERIFY(text.find("sluice_upstream_server_drained{upstream=\"api\",server=\"10.0.0.2:80\"} 0\n") !=
            std::string::npos);

    board.setDrained("api", "10.0.0.1:80", false);
    agg.tick(t += std::chrono::seconds(1));
    QVERIFY(!find(agg.latest(), "api/10.0.0.1:80")->drained);
  }

  void withoutASourceNothingIsDrained() {
    stats::WorkerStats w;
    w.upstreamServer("api/10.0.0.1:80");
    control::StatsAggregator agg({&w});
    agg.tick(std::chrono::system_clock::time_point{std::chrono::seconds(1700000000)});
    QVERIFY(!find(agg.latest(), "api/10.0.0.1:80")->drained);
  }
};

QTEST_APPLESS_MAIN(DrainedStatsTest)
#include "drained_stats_test.moc"
