// Duration and size syntax (engine/config/units.h).

#include "engine/config/units.h"

#include <QtTest>

using namespace std::chrono_literals;
using sluice::config::Duration;
using sluice::config::formatDuration;
using sluice::config::formatSize;
using sluice::config::parseDuration;
using sluice::config::parseSize;

Q_DECLARE_METATYPE(std::optional<Duration>)
Q_DECLARE_METATYPE(std::optional<uint64_t>)

class UnitsTest : public QObject {
  Q_OBJECT

 private slots:
  void parsesDurations_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<std::optional<Duration>>("expected");
    QTest::newRow("ms") << "250ms" << std::optional<Duration>(250ms);
    QTest::newRow("s") << "2s" << std::optional<Duration>(2s);
    QTest::newRow("m") << "1m" << std::optional<Duration>(1min);
    QTest::newRow("h") << "1h" << std::optional<Duration>(1h);
    QTest::newRow("d") << "1d" << std::optional<Duration>(24h);
    QTest::newRow("m+s") << "1m30s" << std::optional<Duration>(90s);
    QTest::newRow("all units") << "1d2h3m4s5ms" << std::optional<Duration>(24h + 2h + 3min + 4s + 5ms);
    QTest::newRow("zero") << "0s" << std::optional<Duration>(0ms);
    QTest::newRow("big count") << "90s" << std::optional<Duration>(90s);
    QTest::newRow("bare integer") << "5" << std::optional<Duration>();
    QTest::newRow("bare zero") << "0" << std::optional<Duration>();
    QTest::newRow("empty") << "" << std::optional<Duration>();
    QTest::newRow("unknown unit") << "5x" << std::optional<Duration>();
    QTest::newRow("uppercase") << "5S" << std::optional<Duration>();
    QTest::newRow("negative") << "-5s" << std::optional<Duration>();
    QTest::newRow("fraction") << "1.5s" << std::optional<Duration>();
    QTest::newRow("space") << "1m 30s" << std::optional<Duration>();
    QTest::newRow("small before large") << "30s1m" << std::optional<Duration>();
    QTest::newRow("unit twice") << "1s1s" << std::optional<Duration>();
    QTest::newRow("trailing number") << "1m30" << std::optional<Duration>();
    QTest::newRow("no number") << "ms" << std::optional<Duration>();
    QTest::newRow("overflow") << "99999999999999999999d" << std::optional<Duration>();
    QTest::newRow("overflow in product") << "9999999999999999d" << std::optional<Duration>();
  }
  void parsesDurations() {
    QFETCH(QString, text);
    QFETCH(std::optional<Duration>, expected);
    const std::string utf8 = text.toStdString();
    QCOMPARE(parseDuration(utf8), expected);
  }

  void formatsDurations() {
    QCOMPARE(formatDuration(0ms), std::string("0s"));
    QCOMPARE(formatDuration(250ms), std::string("250ms"));
    QCOMPARE(formatDuration(90s), std::string("1m30s"));
    QCOMPARE(formatDuration(1h), std::string("1h"));
    QCOMPARE(formatDuration(26h + 1ms), std::string("1d2h1ms"));
    for (Duration d : {Duration(1ms), Duration(999ms), Duration(1001ms), Duration(59s), Duration(61min),
                       Duration(49h + 7s)}) {
      QCOMPARE(parseDuration(formatDuration(d)), std::optional<Duration>(d));
    }
  }

  void parsesSizes_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<std::optional<uint64_t>>("expected");
    auto some = [](uint64_t v) { return std::optional<uint64_t>(v); };
    QTest::newRow("bytes") << "512" << some(512);
    QTest::newRow("zero") << "0" << some(0);
    QTest::newRow("B") << "512B" << some(512);
    QTest::newRow("KiB") << "16KiB" << some(16 * 1024);
    QTest::newRow("MiB") << "1MiB" << some(1 << 20);
    QTest::newRow("GiB") << "1GiB" << some(1ull << 30);
    QTest::newRow("TiB") << "2TiB" << some(2ull << 40);
    QTest::newRow("KB") << "16KB" << some(16000);
    QTest::newRow("MB") << "1MB" << some(1000000);
    QTest::newRow("GB") << "3GB" << some(3000000000ull);
    QTest::newRow("k") << "16k" << some(16 * 1024);
    QTest::newRow("K") << "16K" << some(16 * 1024);
    QTest::newRow("m") << "1m" << some(1 << 20);
    QTest::newRow("g") << "1g" << some(1ull << 30);
    QTest::newRow("empty") << "" << std::optional<uint64_t>();
    QTest::newRow("unit only") << "KiB" << std::optional<uint64_t>();
    QTest::newRow("junk unit") << "12XB" << std::optional<uint64_t>();
    QTest::newRow("lowercase kib") << "16kib" << std::optional<uint64_t>();
    QTest::newRow("negative") << "-1" << std::optional<uint64_t>();
    QTest::newRow("fraction") << "1.5MiB" << std::optional<uint64_t>();
    QTest::newRow("space") << "16 KiB" << std::optional<uint64_t>();
    QTest::newRow("trailing junk") << "512 " << std::optional<uint64_t>();
    QTest::newRow("overflow") << "99999999999999999999" << std::optional<uint64_t>();
    QTest::newRow("overflow in product") << "99999999999GiB" << std::optional<uint64_t>();
  }
  void parsesSizes() {
    QFETCH(QString, text);
    QFETCH(std::optional<uint64_t>, expected);
    const std::string utf8 = text.toStdString();
    QCOMPARE(parseSize(utf8), expected);
  }

  void formatsSizes() {
    QCOMPARE(formatSize(0), std::string("0"));
    QCOMPARE(formatSize(1500), std::string("1500"));
    QCOMPARE(formatSize(16 * 1024), std::string("16KiB"));
    QCOMPARE(formatSize(1 << 20), std::string("1MiB"));
    QCOMPARE(formatSize(3ull << 30), std::string("3GiB"));
    QCOMPARE(formatSize(1536ull << 20), std::string("1536MiB"));
  }
};

QTEST_APPLESS_MAIN(UnitsTest)
#include "units_test.moc"
