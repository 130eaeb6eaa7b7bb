// The `sluice ctl` table formatter and human units (engine/ctl/table.h, engine/ctl/human_units.h).

#include "engine/ctl/table.h"

#include <QtTest>

#include "engine/ctl/human_units.h"

using sluice::ctl::Table;

class TableTest : public QObject {
  Q_OBJECT

 private slots:
  void columnsAreAsWideAsTheirWidestCell() {
    Table t({{"NAME"}, {"REQ/S", Table::Align::Right}, {"STATE"}});
    t.addRow({"api", "1.52k", "up"});
    t.addRow({"static-assets", "7", "drained"});
    QCOMPARE(t.rows(), size_t{2});
    const std::string expected =
        "NAME           REQ/S  STATE\n"
        "api            1.52k  up\n"
        "static-assets      7  drained\n";
    QCOMPARE(t.render(), expected);
  }

  void noTrailingSpacesAndMissingCellsAreEmpty() {
    Table t({{"A"}, {"B"}, {"C"}});
    t.addRow({"x"});
    t.addRow({"long", "", "z"});
    const std::string out = t.render();
    QCOMPARE(out, std::string("A     B  C\nx\nlong     z\n"));
    for (const QString& line : QString::fromStdString(out).split('\n')) {
      QVERIFY(!line.endsWith(' '));
    }
  }

  void extraCellsAreIgnored() {
    Table t({{"A"}});
    t.addRow({"1", "2"});
    QCOMPARE(t.render(), std::string("A\n1\n"));
  }

  void headerOnlyWhenEmpty() {
    Table t({{"VERSION", Table::Align::Right}, {"WHAT"}});
    QCOMPARE(t.render(), std::string("VERSION  WHAT\n"));
  }

  void widthCountsCodePoints() {
    QCOMPARE(sluice::ctl::textWidth("abc"), size_t{3});
    QCOMPARE(sluice::ctl::textWidth("µs"), size_t{2});  // µ is two bytes
    Table t({{"UNIT"}, {"N", Table::Align::Right}});
    t.addRow({"µs", "1"});
    t.addRow({"ms", "10"});
    QCOMPARE(t.render(), std::string("UNIT   N\nµs     1\nms    10\n"));
  }

  void bytes() {
    using sluice::ctl::formatBytes;
    QCOMPARE(formatBytes(0), std::string("0 B"));
    QCOMPARE(formatBytes(512), std::string("512 B"));
    QCOMPARE(formatBytes(1536), std::string("1.50 KiB"));
    QCOMPARE(formatBytes(5242880), std::string("5.00 MiB"));
    QCOMPARE(formatBytes(73400320), std::string("70.0 MiB"));
    QCOMPARE(formatBytes(1073741824), std::string("1.00 GiB"));
    QCOMPARE(formatBytes(-1), std::string("0 B"));
  }

  void countsAndRates() {
    using sluice::ctl::formatCount;
    QCOMPARE(formatCount(0), std::string("0"));
    QCOMPARE(formatCount(7), std::string("7"));
    QCOMPARE(formatCount(0.5), std::string("0.5"));
    QCOMPARE(formatCount(999), std::string("999"));
    QCOMPARE(formatCount(1520), std::string("1.52k"));
    QCOMPARE(formatCount(91200), std::string("91.2k"));
    QCOMPARE(formatCount(12300000), std::string("12.3M"));
  }

  void millisecondsPercentsAndDurations() {
    using namespace sluice::ctl;
    QCOMPARE(formatMs(0), std::string("0"));
    QCOMPARE(formatMs(0.4), std::string("0.40"));
    QCOMPARE(formatMs(12.34), std::string("12.3"));
    QCOMPARE(formatMs(1204.2), std::string("1204"));
    QCOMPARE(formatPercent(0), std::string("0%"));
    QCOMPARE(formatPercent(0.931), std::string("93.1%"));
    QCOMPARE(formatPercent(1), std::string("100.0%"));
    QCOMPARE(formatPercent(0.99996), std::string("99.9%"));
    QCOMPARE(formatSeconds(5123.4), std::string("1h25m23s"));
    QCOMPARE(formatSeconds(59), std::string("59s"));
    QCOMPARE(formatSeconds(90061), std::string("1d1h1m"));
  }
};

QTEST_APPLESS_MAIN(TableTest)
#include "table_test.moc"
