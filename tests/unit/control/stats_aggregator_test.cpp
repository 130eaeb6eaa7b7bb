#include "engine/control/stats_aggregator.h"

#include <QtTest>
#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "engine/stats/histogram_layout.h"
#include "engine/stats/worker_stats.h"

using namespace sluice;
using namespace std::chrono_literals;
using control::StatsAggregator;
using control::StatsSnapshot;
using stats::StatusClass;
using stats::WorkerStats;

namespace {

const std::chrono::system_clock::time_point kT0{std::chrono::seconds(1700000000)};

size_t at(StatusClass c) {
  return stats::indexOf(c);
}

const control::RouteSnapshot* findRoute(const StatsSnapshot& s, const std::string& name) {
  for (const auto& r : s.routes) {
    if (r.name == name) {
      return &r;
    }
  }
  return nullptr;
}

double midpointMs(uint64_t micros) {
  return stats::histogram::bucketMidpoint(stats::histogram::bucketIndex(micros)) / 1000.0;
}

}  // namespace

class StatsAggregatorTest : public QObject {
  Q_OBJECT

 private slots:
  void emptyBeforeFirstTick() {
    WorkerStats w;
    StatsAggregator agg({&w});
    QVERIFY(agg.history().empty());
    QCOMPARE(agg.latest().routes.size(), size_t{0});
    QCOMPARE(agg.latest().interval_s, 0.0);
  }

  void mergesWorkersByRouteName() {
    WorkerStats w1, w2;
    w2.route("web");  // different slot order on the two workers
    for (int i = 0; i < 10; ++i) {
      w1.route("api")->record(200, 100, 1000, 2000);
      w2.route("api")->record(502, 50, 10, 2000);
    }
    w2.route("web")->record(404, 1, 2, 300);
    w1.noRoute()->record(404, 7, 9, 100);
    StatsAggregator agg({&w1, &w2});
    agg.tick(kT0);

    const StatsSnapshot& s = agg.latest();
    QCOMPARE(s.interval_s, 1.0);
    QCOMPARE(s.time, kT0);
    QCOMPARE(s.routes.size(), size_t{3});
    QCOMPARE(s.routes[0].name, std::string("_none"));
    const auto* api = findRoute(s, "api");
    QVERIFY(api != nullptr);
    QCOMPARE(api->traffic.total_by_status[at(StatusClass::k2xx)], uint64_t{10});
    QCOMPARE(api->traffic.total_by_status[at(StatusClass::k5xx)], uint64_t{10});
    QCOMPARE(api->traffic.requests_total, uint64_t{20});
    QCOMPARE(api->traffic.requests_per_s, 20.0);
    QCOMPARE(api->traffic.bytes_in_total, uint64_t{1500});
    QCOMPARE(api->traffic.bytes_out_per_s, 10100.0);
    QCOMPARE(api->traffic.latency.samples, uint64_t{20});
    QCOMPARE(api->traffic.latency.p50_ms, midpointMs(2000));
    QCOMPARE(api->traffic.latency.mean_ms, 2.0);

    QCOMPARE(s.totals.traffic.requests_total, uint64_t{22});
    QCOMPARE(s.totals.traffic.total_by_status[at(StatusClass::k4xx)], uint64_t{2});
    QCOMPARE(s.totals.traffic.bytes_in_total, uint64_t{1508});
    QCOMPARE(s.totals.traffic.latency.samples, uint64_t{22});
    QCOMPARE(s.totals.traffic.latency.p99_ms, midpointMs(2000));

    const auto& totals = agg.totals();
    QCOMPARE(totals.routes.size(), size_t{3});
    QCOMPARE(totals.routes[1].latency.count, uint64_t{20});
  }

  void ratesCoverOnlyTheLastInterval() {
    WorkerStats w;
    stats::RouteStats* api = w.route("api");
    StatsAggregator agg({&w});
    for (int i = 0; i < 100; ++i) {
      api->record(200, 10, 100, 1000);
    }
    agg.tick(kT0);
    for (int i = 0; i < 30; ++i) {
      api->record(200, 10, 100, 40000);
    }
    stats::bump(w.node().header_timeout, 6);
    agg.tick(kT0 + 2s);

    const StatsSnapshot& s = agg.latest();
    QCOMPARE(s.interval_s, 2.0);
    const auto* r = findRoute(s, "api");
    QCOMPARE(r->traffic.requests_per_s, 15.0);
    QCOMPARE(r->traffic.per_s_by_status[at(StatusClass::k2xx)], 15.0);
    QCOMPARE(r->traffic.requests_total, uint64_t{130});
    QCOMPARE(r->traffic.bytes_out_per_s, 1500.0);
    QCOMPARE(r->traffic.latency.samples, uint64_t{30});
    QCOMPARE(r->traffic.latency.p50_ms, midpointMs(40000));  // the first tick's 1 ms are gone
    QCOMPARE(r->traffic.latency.mean_ms, 40.0);
    const size_t k = stats::nodeCounterIndex(&stats::NodeCounters::header_timeout);
    QCOMPARE(s.totals.counters[k], uint64_t{6});
    QCOMPARE(s.totals.counters_per_s[k], 3.0);

    agg.tick(kT0 + 3s);  // nothing new
    QCOMPARE(findRoute(agg.latest(), "api")->traffic.requests_per_s, 0.0);
    QCOMPARE(findRoute(agg.latest(), "api")->traffic.latency.samples, uint64_t{0});
    QCOMPARE(findRoute(agg.latest(), "api")->traffic.latency.p99_ms, 0.0);
    QCOMPARE(agg.latest().totals.traffic.requests_total, uint64_t{130});

    agg.tick(kT0 + 1s);  // clock went backwards: interval falls back to 1 s
    QCOMPARE(agg.latest().interval_s, 1.0);
  }

  void routeAppearingLaterCountsFromZero() {
    WorkerStats w;
    StatsAggregator agg({&w});
    agg.tick(kT0);
    w.route("late")->record(301, 0, 0, 10);
    w.route("late")->record(301, 0, 0, 10);
    agg.tick(kT0 + 1s);
    const auto* r = findRoute(agg.latest(), "late");
    QVERIFY(r != nullptr);
    QCOMPARE(r->traffic.per_s_by_status[at(StatusClass::k3xx)], 2.0);
    QCOMPARE(agg.history().front().routes.size(), size_t{1});  // old snapshots keep their shape
  }

  void nodeCountersAndGauges() {
    WorkerStats w1, w2;
    stats::bump(w1.node().connections_accepted, 5);
    stats::bump(w2.node().connections_accepted, 7);
    stats::setGauge(w1.node().connections_active, 3);
    stats::setGauge(w2.node().connections_active, 4);
    stats::bump(w2.node().upstream_retries, 2);
    StatsAggregator agg({&w1, &w2});
    agg.tick(kT0);
    const auto& n = agg.latest().totals;
    QCOMPARE(n.connections_active, uint64_t{7});
    QCOMPARE(n.counters[stats::nodeCounterIndex(&stats::NodeCounters::connections_accepted)], uint64_t{12});
    QCOMPARE(n.counters_per_s[stats::nodeCounterIndex(&stats::NodeCounters::connections_accepted)], 12.0);
    QCOMPARE(n.counters_per_s[stats::nodeCounterIndex(&stats::NodeCounters::connections_active)], 0.0);
    QCOMPARE(n.counters[stats::nodeCounterIndex(&stats::NodeCounters::upstream_retries)], uint64_t{2});
  }

  void upstreamServers() {
    WorkerStats w1, w2;
    auto* a1 = w1.upstreamServer("api/10.0.0.1:80");
    auto* b2 = w2.upstreamServer("api/10.0.0.2:80");
    auto* a2 = w2.upstreamServer("api/10.0.0.1:80");
    stats::bump(a1->requests, 10);
    stats::bump(a2->requests, 20);
    stats::bump(a2->failures, 4);
    stats::setGauge(a2->marked_down, 1);
    stats::bump(b2->requests, 1);
    StatsAggregator agg({&w1, &w2});
    agg.tick(kT0);
    const auto& ups = agg.latest().upstreams;
    QCOMPARE(ups.size(), size_t{2});
    QCOMPARE(ups[0].name, std::string("api/10.0.0.1:80"));
    QCOMPARE(ups[0].requests_total, uint64_t{30});
    QCOMPARE(ups[0].requests_per_s, 30.0);
    QCOMPARE(ups[0].failures_total, uint64_t{4});
    QCOMPARE(ups[0].down_workers, uint32_t{1});
    QVERIFY(ups[0].down);
    QCOMPARE(ups[1].requests_total, uint64_t{1});
    QVERIFY(!ups[1].down);
  }

  void listenersAreSummedByName() {
    WorkerStats w1, w2;
    w2.listener("internal");  // different slot order on the two workers
    stats::setGauge(w1.listener("public")->connections_active, 3);
    stats::setGauge(w2.listener("public")->connections_active, 4);
    stats::bump(w1.listener("public")->refused, 2);
    stats::bump(w2.listener("public")->refused, 1);
    stats::setGauge(w2.listener("internal")->connections_active, 1);
    StatsAggregator agg({&w1, &w2});
    agg.tick(kT0);
    const auto& ls = agg.latest().listeners;
    QCOMPARE(ls.size(), size_t{2});
    QCOMPARE(ls[0].totals.name, std::string("public"));
    QCOMPARE(ls[0].totals.connections_active, uint64_t{7});
    QCOMPARE(ls[0].totals.refused, uint64_t{3});
    QCOMPARE(ls[0].refused_per_s, 3.0);
    QCOMPARE(ls[1].totals.name, std::string("internal"));
    QCOMPARE(ls[1].totals.connections_active, uint64_t{1});

    stats::bump(w1.listener("public")->refused, 5);
    stats::setGauge(w1.listener("public")->connections_active, 0);
    agg.tick(kT0 + 2s);
    const auto& next = agg.latest().listeners;
    QCOMPARE(next[0].totals.refused, uint64_t{8});
    QCOMPARE(next[0].refused_per_s, 2.5);
    QCOMPARE(next[0].totals.connections_active, uint64_t{4});  // a gauge: the current value
    const nlohmann::json j = control::toJson(agg.latest());
    QCOMPARE(j["listeners"][0]["name"].get<std::string>(), std::string("public"));
    QCOMPARE(j["listeners"][0]["refused_total"].get<uint64_t>(), uint64_t{8});
    QCOMPARE(j["listeners"][0]["connections_active"].get<uint64_t>(), uint64_t{4});
    QCOMPARE(j["listeners"][0]["refused_per_s"].get<double>(), 2.5);
  }

  void historyIsBounded() {
    WorkerStats w;
    StatsAggregator agg({&w}, 5);
    for (int i = 0; i < 8; ++i) {
      w.route("api")->record(200, 0, 0, 1);
      agg.tick(kT0 + std::chrono::seconds(i));
    }
    QCOMPARE(agg.history().size(), size_t{5});
    QCOMPARE(agg.history().front().time, kT0 + 3s);
    QCOMPARE(agg.latest().time, kT0 + 7s);
    QCOMPARE(findRoute(agg.latest(), "api")->traffic.requests_total, uint64_t{8});
    QCOMPARE(findRoute(agg.history().front(), "api")->traffic.requests_total, uint64_t{4});

    StatsAggregator defaults({&w});
    for (int i = 0; i < 1000; ++i) {
      defaults.tick(kT0 + std::chrono::seconds(i));
    }
    QCOMPARE(defaults.history().size(), size_t{900});
  }

  void jsonNamesFieldsClearly() {
    WorkerStats w;
    w.route("api")->record(200, 10, 20, 1000);
    stats::bump(w.node().body_timeout);
    stats::setGauge(w.node().connections_active, 2);
    w.upstreamServer("api/127.0.0.1:9001");
    StatsAggregator agg({&w});
    agg.tick(kT0 + 123ms);
    // Round-trip through text, as the console will receive it.
    const auto j = nlohmann::json::parse(control::toJson(agg.latest()).dump());
    QCOMPARE(j["time"].get<std::string>(), std::string("2023-11-14T22:13:20.123Z"));
    QCOMPARE(j["time_unix_ms"].get<int64_t>(), int64_t{1700000000123});
    QCOMPARE(j["interval_s"].get<double>(), 1.0);
    const auto& t = j["totals"];
    QCOMPARE(t["requests_per_s"].get<double>(), 1.0);
    QCOMPARE(t["requests_total"].get<uint64_t>(), uint64_t{1});
    QCOMPARE(t["by_status"]["2xx"].get<double>(), 1.0);
    QCOMPARE(t["by_status"]["aborted"].get<double>(), 0.0);
    QCOMPARE(t["by_status_total"]["2xx"].get<uint64_t>(), uint64_t{1});
    QCOMPARE(t["bytes_out_per_s"].get<double>(), 20.0);
    QCOMPARE(t["latency_ms"]["p50"].get<double>(), midpointMs(1000));
    QCOMPARE(t["latency_ms"]["samples"].get<uint64_t>(), uint64_t{1});
    QVERIFY(t["latency_ms"].contains("p999"));
    QCOMPARE(t["connections_active"].get<uint64_t>(), uint64_t{2});
    QCOMPARE(t["counters"]["body_timeout"].get<uint64_t>(), uint64_t{1});
    QCOMPARE(t["counters_per_s"]["body_timeout"].get<double>(), 1.0);
    QVERIFY(!t["counters"].contains("connections_active"));
    QCOMPARE(t["counters"].size(), stats::kNodeCounterCount - 1);
    QCOMPARE(j["routes"].size(), size_t{2});
    QCOMPARE(j["routes"][1]["name"].get<std::string>(), std::string("api"));
    QCOMPARE(j["routes"][1]["bytes_in_total"].get<uint64_t>(), uint64_t{10});
    QCOMPARE(j["upstreams"][0]["name"].get<std::string>(), std::string("api/127.0.0.1:9001"));
    QCOMPARE(j["upstreams"][0]["down"].get<bool>(), false);
  }

  // CPU use is the delta of the process's CPU seconds over the interval, as a percentage of one core.
  void processCpuAndMemory() {
    WorkerStats w;
    StatsAggregator agg({&w});
    agg.tick(kT0, {}, control::ProcessStats{10.0, 1000});
    QCOMPARE(agg.latest().process.cpu_percent, 0.0);  // nothing to compare with yet
    QCOMPARE(agg.latest().process.cpu_seconds_total, 10.0);
    QCOMPARE(agg.latest().process.rss_bytes, uint64_t{1000});
    agg.tick(kT0 + 2s, {}, control::ProcessStats{13.0, 2000});
    QCOMPARE(agg.latest().process.cpu_percent, 150.0);  // 3 s of CPU in 2 s: one and a half cores
    const auto j = nlohmann::json::parse(control::toJson(agg.latest()).dump());
    QCOMPARE(j["process"]["cpu_percent"].get<double>(), 150.0);
    QCOMPARE(j["process"]["rss_bytes"].get<uint64_t>(), uint64_t{2000});
    QCOMPARE(j["process"]["cpu_seconds_total"].get<double>(), 13.0);
  }

  // A worker thread records (and claims new routes) while the control thread ticks: totals must be
  // monotonic while it runs and exact once it stops. Meant to run under TSan too.
  void concurrentWriterAndTicks() {
    WorkerStats w;
    std::atomic<bool> started{false};
    constexpr int kRequests = 200000;
    std::thread worker([&] {
      stats::RouteStats* routes[4] = {w.route("a"), w.route("b"), nullptr, nullptr};
      started.store(true);
      for (int i = 0; i < kRequests; ++i) {
        if (i == kRequests / 2) {
          routes[2] = w.route("c");  // a config reload mid-flight
          routes[3] = w.route("d");
        }
        stats::RouteStats* r = routes[i < kRequests / 2 ? i % 2 : i % 4];
        r->record(i % 10 == 0 ? 500 : 200, 1, 2, static_cast<uint64_t>(i % 5000));
        stats::bump(w.node().requests_total);
        stats::setGauge(w.node().connections_active, static_cast<uint64_t>(i % 64));
      }
    });
    while (!started.load()) {
      std::this_thread::yield();
    }
    StatsAggregator agg({&w});
    uint64_t last_total = 0;
    int ticks = 0;
    while (agg.latest().totals.traffic.requests_total < kRequests && ticks < 1000000) {
      agg.tick(kT0 + std::chrono::seconds(++ticks));
      const auto& s = agg.latest();
      QVERIFY(s.totals.traffic.requests_total >= last_total);
      last_total = s.totals.traffic.requests_total;
      uint64_t sum = 0;
      for (const auto& r : s.routes) {
        sum += r.traffic.requests_total;
        QVERIFY(r.traffic.requests_per_s >= 0);
      }
      QCOMPARE(sum, s.totals.traffic.requests_total);
    }
    worker.join();
    agg.tick(kT0 + std::chrono::seconds(++ticks));
    const auto& s = agg.latest();
    QCOMPARE(s.totals.traffic.requests_total, uint64_t{kRequests});
    QCOMPARE(s.totals.traffic.total_by_status[at(StatusClass::k5xx)], uint64_t{kRequests / 10});
    QCOMPARE(s.totals.traffic.bytes_out_total, uint64_t{2 * kRequests});
    QCOMPARE(s.routes.size(), size_t{5});
    QCOMPARE(s.totals.counters[stats::nodeCounterIndex(&stats::NodeCounters::requests_total)],
             uint64_t{kRequests});
    QCOMPARE(s.totals.connections_active, uint64_t{(kRequests - 1) % 64});
    uint64_t timed = 0;
    for (const auto& r : agg.totals().routes) {
      timed += r.latency.count;
    }
    QCOMPARE(timed, uint64_t{kRequests});
    QVERIFY(ticks > 1);
  }
};

QTEST_APPLESS_MAIN(StatsAggregatorTest)
#include "stats_aggregator_test.moc"
