// The snapshots' cached JSON text: bounded like the aggregator's history, oldest first, and the
// history document assembled from it is the JSON the snapshots serialize to.

#include "engine/control/snapshot_lines.h"

#include <QtTest>
#include <chrono>
#include <nlohmann/json.hpp>

using namespace sluice::control;
using nlohmann::json;

namespace {

StatsSnapshot at(int second) {
  StatsSnapshot s;
  s.time = std::chrono::system_clock::time_point{std::chrono::seconds(1700000000 + second)};
  s.interval_s = 1.0;
  return s;
}

int64_t unixMs(const json& snapshot) {
  return snapshot["time_unix_ms"].get<int64_t>();
}

}  // namespace

class SnapshotLinesTest : public QObject {
  Q_OBJECT

 private slots:
  void emptyBeforeTheFirstTick() {
    SnapshotLines lines(3);
    const json empty = json::parse(*lines.latest());
    QVERIFY(empty.is_object());
    QCOMPARE(empty["interval_s"].get<double>(), 0.0);
    QCOMPARE(json::parse(lines.historyJson(900)), json::parse(R"({"snapshots":[]})"));
  }

  void boundedOldestFirst() {
    SnapshotLines lines(3);
    for (int i = 0; i < 5; ++i) {
      lines.push(at(i));
    }
    QCOMPARE(lines.history().size(), size_t{3});
    QCOMPARE(*lines.latest(), toJson(at(4)).dump());
    const json all = json::parse(lines.historyJson(900));
    QCOMPARE(all["snapshots"].size(), size_t{3});
    QCOMPARE(unixMs(all["snapshots"][0]), int64_t{1700000002000});
    QCOMPARE(unixMs(all["snapshots"][2]), int64_t{1700000004000});
    QCOMPARE(all["snapshots"][1], toJson(at(3)));
    const json two = json::parse(lines.historyJson(2));
    QCOMPARE(two["snapshots"].size(), size_t{2});
    QCOMPARE(unixMs(two["snapshots"][0]), int64_t{1700000003000});
    QCOMPARE(json::parse(lines.historyJson(0))["snapshots"].size(), size_t{0});
  }
};

QTEST_GUILESS_MAIN(SnapshotLinesTest)
#include "snapshot_lines_test.moc"
