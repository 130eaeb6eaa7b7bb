#include "engine/stats/worker_stats.h"

#include <QtTest>
#include <set>
#include <string>

#include "engine/stats/counter.h"
#include "engine/stats/status_class.h"

using namespace sluice::stats;

class WorkerStatsTest : public QObject {
  Q_OBJECT

 private slots:
  void statusClasses() {
    QCOMPARE(statusClassOf(100), StatusClass::k1xx);
    QCOMPARE(statusClassOf(200), StatusClass::k2xx);
    QCOMPARE(statusClassOf(304), StatusClass::k3xx);
    QCOMPARE(statusClassOf(431), StatusClass::k4xx);
    QCOMPARE(statusClassOf(599), StatusClass::k5xx);
    QCOMPARE(statusClassOf(0), StatusClass::kAborted);
    QCOMPARE(statusClassOf(99), StatusClass::kAborted);
    QCOMPARE(statusClassOf(600), StatusClass::kAborted);
    QCOMPARE(kStatusClassNames[indexOf(StatusClass::kAborted)], std::string_view("aborted"));
  }

  void counterHelpers() {
    Counter c{0};
    bump(c);
    bump(c, 41);
    QCOMPARE(read(c), uint64_t{42});
    lower(c, 2);
    QCOMPARE(read(c), uint64_t{40});
    lower(c, 100);
    QCOMPARE(read(c), uint64_t{0});
    setGauge(c, 7);
    QCOMPARE(read(c), uint64_t{7});
  }

  void noRouteIsSlotZero() {
    WorkerStats w;
    QCOMPARE(w.routeCount(), size_t{1});
    QCOMPARE(w.routeAt(0).name, std::string("_none"));
    QCOMPARE(w.noRoute(), w.route("_none"));
  }

  void routeClaimIsStableByName() {
    WorkerStats w;
    RouteStats* api = w.route("api");
    RouteStats* web = w.route("web");
    QVERIFY(api != web);
    QCOMPARE(w.route("api"), api);  // a config reload claims again by name
    QCOMPARE(w.routeCount(), size_t{3});
    QCOMPARE(&w.routeAt(1), api);
    QCOMPARE(w.routeAt(2).name, std::string("web"));
  }

  void routeRecord() {
    WorkerStats w;
    RouteStats* r = w.route("api");
    r->record(200, 100, 1000, 1500);
    r->record(204, 0, 0, 500);
    r->record(503, 10, 20, 30000);
    r->record(0, 5, 0, 99999999);  // aborted: counted, not timed
    QCOMPARE(read(r->requests[indexOf(StatusClass::k2xx)]), uint64_t{2});
    QCOMPARE(read(r->requests[indexOf(StatusClass::k5xx)]), uint64_t{1});
    QCOMPARE(read(r->requests[indexOf(StatusClass::kAborted)]), uint64_t{1});
    QCOMPARE(read(r->requests[indexOf(StatusClass::k4xx)]), uint64_t{0});
    QCOMPARE(read(r->bytes_in), uint64_t{115});
    QCOMPARE(read(r->bytes_out), uint64_t{1020});
    QCOMPARE(r->latency.count(), uint64_t{3});
    QCOMPARE(r->latency.sum(), uint64_t{32000});
  }

  void routeOverflowSharesOneSlot() {
    WorkerStats w;
    std::set<RouteStats*> distinct;
    for (int i = 0; i < 300; ++i) {
      distinct.insert(w.route("r" + std::to_string(i)));
    }
    QCOMPARE(w.routeCount(), WorkerStats::kMaxRoutes);
    // "_none" + 254 named routes + "_overflow"; names 254..299 all share the overflow slot.
    QCOMPARE(distinct.size(), size_t{255});
    RouteStats* overflow = w.route("r299");
    QCOMPARE(overflow->name, std::string("_overflow"));
    QCOMPARE(w.route("r254"), overflow);
    QCOMPARE(w.route("yet-another"), overflow);
    QCOMPARE(w.route("r253")->name, std::string("r253"));
    QCOMPARE(&w.routeAt(WorkerStats::kMaxRoutes - 1), overflow);
  }

  void upstreamServers() {
    WorkerStats w;
    QCOMPARE(w.upstreamServerCount(), size_t{0});
    UpstreamServerStats* a = w.upstreamServer("api/127.0.0.1:9001");
    bump(a->requests, 3);
    bump(a->failures);
    setGauge(a->marked_down, 1);
    QCOMPARE(w.upstreamServer("api/127.0.0.1:9001"), a);
    QCOMPARE(w.upstreamServerCount(), size_t{1});
    QCOMPARE(read(w.upstreamServerAt(0).requests), uint64_t{3});
    for (int i = 0; i < 400; ++i) {
      w.upstreamServer("u/" + std::to_string(i));
    }
    QCOMPARE(w.upstreamServerCount(), WorkerStats::kMaxUpstreamServers);
    QCOMPARE(w.upstreamServer("u/399")->name, std::string("_overflow"));
  }

  void nodeCounterTable() {
    std::set<std::string_view> names;
    for (const auto& info : kNodeCounters) {
      names.insert(info.name);
      QVERIFY(!info.family.empty());
      QVERIFY(!info.help.empty());
    }
    QCOMPARE(names.size(), kNodeCounterCount);
    WorkerStats w;
    bump(w.node().header_timeout, 4);
    const size_t k = nodeCounterIndex(&NodeCounters::header_timeout);
    QCOMPARE(kNodeCounters[k].name, std::string_view("header_timeout"));
    QCOMPARE(read(w.node().*kNodeCounters[k].member), uint64_t{4});
    QVERIFY(kNodeCounters[nodeCounterIndex(&NodeCounters::connections_active)].gauge);
  }
};

QTEST_APPLESS_MAIN(WorkerStatsTest)
#include "worker_stats_test.moc"
