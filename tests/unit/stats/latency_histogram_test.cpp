#include "engine/stats/latency_histogram.h"

#include <QtTest>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "engine/stats/histogram_layout.h"

using namespace sluice::stats;
namespace layout = sluice::stats::histogram;

namespace {

HistogramSnapshot snapshotOf(const LatencyHistogram& h) {
  HistogramSnapshot s;
  h.addTo(s);
  return s;
}

uint64_t exactQuantile(const std::vector<uint64_t>& sorted, double q) {
  const auto rank =
      std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(sorted.size()))));
  return sorted[rank - 1];
}

}  // namespace

class LatencyHistogramTest : public QObject {
  Q_OBJECT

 private slots:
  void layoutIsContiguousAndFine() {
    QCOMPARE(layout::kBucketCount, size_t{3968});
    QCOMPARE(layout::bucketLow(0), uint64_t{0});
    for (size_t i = 0; i < layout::kBucketCount; ++i) {
      const uint64_t lo = layout::bucketLow(i);
      const uint64_t hi = layout::bucketHigh(i);
      QVERIFY(lo <= hi);
      QCOMPARE(layout::bucketIndex(lo), i);
      QCOMPARE(layout::bucketIndex(hi), i);
      if (i + 1 < layout::kBucketCount) {
        QCOMPARE(layout::bucketLow(i + 1), hi + 1);
      }
      if (lo >= 128) {
        QVERIFY(static_cast<double>(hi - lo + 1) / static_cast<double>(lo) <= 1.0 / 128);
      }
    }
    QCOMPARE(layout::bucketHigh(layout::kBucketCount - 1), layout::kMaxValue);
  }

  void quantilesWithinOnePercent() {
    std::mt19937_64 rng(20240611);
    struct Case {
      const char* name;
      std::function<uint64_t()> draw;
    };
    std::uniform_int_distribution<uint64_t> small(1, 1000);
    std::uniform_int_distribution<uint64_t> medium(1000, 1000000);
    std::uniform_int_distribution<uint64_t> large(1000000, 100000000000ULL);
    std::lognormal_distribution<double> wide(std::log(5000.0), 2.5);
    const std::vector<Case> cases = {
        {"small", [&] { return small(rng); }},
        {"medium", [&] { return medium(rng); }},
        {"large", [&] { return large(rng); }},
        {"lognormal", [&] { return std::max<uint64_t>(1, static_cast<uint64_t>(wide(rng))); }},
    };
    for (const Case& c : cases) {
      LatencyHistogram h;
      std::vector<uint64_t> values(200000);
      for (auto& v : values) {
        v = c.draw();
        h.record(v);
      }
      std::sort(values.begin(), values.end());
      const HistogramSnapshot s = snapshotOf(h);
      QCOMPARE(s.count, uint64_t{values.size()});
      for (const double q : {0.0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) {
        const double exact = static_cast<double>(exactQuantile(values, q));
        const double got = s.quantile(q);
        const double error = std::abs(got - exact) / exact;
        if (error > 0.01) {
          QFAIL(
              qPrintable(QStringLiteral("%1 q=%2: got %3, exact %4").arg(c.name).arg(q).arg(got).arg(exact)));
        }
        QVERIFY(error <= 0.004);  // half a bucket: the layout promises better than the 1% asked for
      }
      uint64_t sum = 0;
      for (const auto v : values) {
        sum += v;
      }
      QCOMPARE(s.sum, sum);
      QCOMPARE(s.mean(), static_cast<double>(sum) / static_cast<double>(values.size()));
    }
  }

  void quantilesSinglePassMatchesSingle() {
    LatencyHistogram h;
    for (uint64_t v = 1; v <= 10000; ++v) {
      h.record(v * 7);
    }
    const HistogramSnapshot s = snapshotOf(h);
    const std::vector<double> qs = {0.5, 0.9, 0.95, 0.99, 0.999};
    std::vector<double> out(qs.size());
    s.quantiles(qs, out);
    for (size_t i = 0; i < qs.size(); ++i) {
      QCOMPARE(out[i], s.quantile(qs[i]));
    }
    QCOMPARE(s.quantile(0.5), layout::bucketMidpoint(layout::bucketIndex(35000)));
  }

  void mergeEqualsUnion() {
    LatencyHistogram a, b, both;
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<uint64_t> dist(0, 50000000);
    for (int i = 0; i < 50000; ++i) {
      const uint64_t v = dist(rng);
      (i % 3 == 0 ? a : b).record(v);
      both.record(v);
    }
    HistogramSnapshot merged = snapshotOf(a);
    merged.merge(snapshotOf(b));
    QVERIFY(merged == snapshotOf(both));
    QCOMPARE(merged.count, uint64_t{50000});
  }

  void subtractGivesTheInterval() {
    LatencyHistogram h, second_only;
    for (uint64_t v = 0; v < 1000; ++v) {
      h.record(v * 13);
    }
    const HistogramSnapshot earlier = snapshotOf(h);
    for (uint64_t v = 0; v < 500; ++v) {
      h.record(v * 101 + 3);
      second_only.record(v * 101 + 3);
    }
    HistogramSnapshot delta = snapshotOf(h);
    delta.subtract(earlier);
    QVERIFY(delta == snapshotOf(second_only));
    QCOMPARE(delta.count, uint64_t{500});

    HistogramSnapshot none = earlier;
    none.subtract(earlier);
    QCOMPARE(none.count, uint64_t{0});
    QCOMPARE(none.sum, uint64_t{0});
    QCOMPARE(none.quantile(0.99), 0.0);
    QCOMPARE(none.mean(), 0.0);
  }

  void edgeValues() {
    LatencyHistogram h;
    h.record(0);
    HistogramSnapshot s = snapshotOf(h);
    QCOMPARE(s.buckets[0], uint64_t{1});
    QCOMPARE(s.quantile(0.5), 0.0);

    LatencyHistogram one;
    one.record(1);
    QCOMPARE(snapshotOf(one).quantile(1.0), 1.0);

    LatencyHistogram exact;  // one-wide buckets are exact up to 255 µs
    exact.record(255);
    QCOMPARE(snapshotOf(exact).quantile(0.5), 255.0);

    LatencyHistogram huge;
    huge.record(std::numeric_limits<uint64_t>::max());
    huge.record(layout::kMaxValue + 1);
    huge.record(layout::kMaxValue);
    const HistogramSnapshot hs = snapshotOf(huge);
    QCOMPARE(hs.buckets[layout::kBucketCount - 1], uint64_t{3});
    QCOMPARE(hs.sum, 3 * layout::kMaxValue);  // clamped like the buckets: no overflow
    QCOMPARE(hs.quantile(0.5), layout::bucketMidpoint(layout::kBucketCount - 1));
    QCOMPARE(huge.count(), uint64_t{3});
  }

  void emptySnapshot() {
    const HistogramSnapshot s;
    QCOMPARE(s.buckets.size(), layout::kBucketCount);
    QCOMPARE(s.quantile(0.5), 0.0);
    QCOMPARE(s.mean(), 0.0);
  }

  void meanIsExact() {
    LatencyHistogram h;
    h.record(10);
    h.record(20);
    h.record(3000030);
    const HistogramSnapshot s = snapshotOf(h);
    QCOMPARE(s.sum, uint64_t{3000060});
    QCOMPARE(s.mean(), 1000020.0);
  }
};

QTEST_APPLESS_MAIN(LatencyHistogramTest)
#include "latency_histogram_test.moc"
