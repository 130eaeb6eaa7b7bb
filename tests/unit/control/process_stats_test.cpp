#include "engine/control/process_stats.h"

#include <QtTest>
#include <chrono>
#include <cstring>
#include <memory>

using sluice::control::readProcessStats;

class ProcessStatsTest : public QObject {
  Q_OBJECT

 private slots:
  void readsRssAndCpu() {
    const auto before = readProcessStats();
    QVERIFY(before.rss_bytes > 1024 * 1024);
    QVERIFY(before.rss_bytes < uint64_t{64} * 1024 * 1024 * 1024);
    QVERIFY(before.cpu_seconds >= 0);

    // Touch 64 MiB and burn ~150 ms of CPU: both must show.
    constexpr size_t kBytes = 64 * 1024 * 1024;
    std::unique_ptr<char[]> block(new char[kBytes]);
    std::memset(block.get(), 1, kBytes);
    volatile uint64_t sink = 0;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(150);
    while (std::chrono::steady_clock::now() < until) {
      for (int i = 0; i < 10000; ++i) {
        sink = sink + static_cast<uint64_t>(i);
      }
    }
    const auto after = readProcessStats();
    QVERIFY(after.rss_bytes >= before.rss_bytes + kBytes / 2);
    QVERIFY(after.cpu_seconds >= before.cpu_seconds + 0.05);
    QVERIFY(block[kBytes - 1] == 1);
  }
};

QTEST_APPLESS_MAIN(ProcessStatsTest)
#include "process_stats_test.moc"
