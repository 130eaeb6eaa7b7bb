// HTTP-date parsing and formatting (engine/core/http_date_codec.h): the three forms of RFC 9110,
// 5.6.7, what is refused, and the IMF-fixdate written back.

#include "engine/core/http_date_codec.h"

#include <QtTest>

using sluice::core::daysFromCivil;
using sluice::core::formatHttpDate;
using sluice::core::parseHttpDate;

class HttpDateParseTest : public QObject {
  Q_OBJECT

 private slots:
  void valid_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("epoch");
    QTest::newRow("IMF-fixdate") << "Sun, 06 Nov 1994 08:49:37 GMT" << qint64(784111777);
    QTest::newRow("RFC 850") << "Sunday, 06-Nov-94 08:49:37 GMT" << qint64(784111777);
    QTest::newRow("asctime, padded day") << "Sun Nov  6 08:49:37 1994" << qint64(784111777);
    QTest::newRow("asctime, two-digit day") << "Thu Dec 31 23:59:59 2016" << qint64(1483228799);
    QTest::newRow("epoch") << "Thu, 01 Jan 1970 00:00:00 GMT" << qint64(0);
    QTest::newRow("before the epoch") << "Wed, 31 Dec 1969 23:59:59 GMT" << qint64(-1);
    QTest::newRow("leap day") << "Tue, 29 Feb 2000 12:00:00 GMT" << qint64(951825600);
    QTest::newRow("past 2038") << "Sat, 31 Dec 2039 23:59:59 GMT" << qint64(2208988799);
    QTest::newRow("year 9999") << "Fri, 31 Dec 9999 23:59:59 GMT" << qint64(253402300799);
    QTest::newRow("leap second") << "Sat, 31 Dec 2016 23:59:60 GMT" << qint64(1483228800);
    QTest::newRow("RFC 850, 20YY") << "Friday, 01-Jan-21 00:00:00 GMT" << qint64(1609459200);
    QTest::newRow("RFC 850, 1970") << "Thursday, 01-Jan-70 00:00:00 GMT" << qint64(0);
    QTest::newRow("weekday not checked") << "Mon, 06 Nov 1994 08:49:37 GMT" << qint64(784111777);
    QTest::newRow("surrounding OWS") << " \tSun, 06 Nov 1994 08:49:37 GMT \t" << qint64(784111777);
  }
  void valid() {
    QFETCH(QString, text);
    QFETCH(qint64, epoch);
    const std::optional<int64_t> parsed = parseHttpDate(text.toStdString());
    QVERIFY(parsed.has_value());
    QCOMPARE(*parsed, epoch);
  }

  void invalid_data() {
    QTest::addColumn<QString>("text");
    for (const char* text : {"",
                             "0",
                             "-1",
                             "784111777",
                             "Sun",
                             "Sun, 06 Nov 1994 08:49:37 UTC",
                             "Sun, 06 Nov 1994 08:49:37 gmt",
                             "sun, 06 Nov 1994 08:49:37 GMT",
                             "Sun, 06 nov 1994 08:49:37 GMT",
                             "Sun, 6 Nov 1994 08:49:37 GMT",
                             "Sun, 06 Nov 94 08:49:37 GMT",
                             "Sun, 06 Nov 1994 8:49:37 GMT",
                             "Sun, 06 Nov 1994 24:00:00 GMT",
                             "Sun, 06 Nov 1994 08:60:00 GMT",
                             "Sun, 06 Nov 1994 08:49:61 GMT",
                             "Sun, 31 Nov 1994 08:49:37 GMT",
                             "Sun, 00 Nov 1994 08:49:37 GMT",
                             "Thu, 29 Feb 2001 00:00:00 GMT",
                             "Sun, 29 Feb 1900 00:00:00 GMT",
                             "Sun, 06 Nov 1994 08:49:37 GMT x",
                             "Sun, 06 Nov 1994 08:49:37",
                             "Sun,  06 Nov 1994 08:49:37 GMT",
                             "Sun, 06-Nov-1994 08:49:37 GMT",
                             "Sunday, 06 Nov 1994 08:49:37 GMT",
                             "Sunday, 06-Nov-94 08:49:37",
                             "Sun Nov 6 08:49:37 1994",
                             "Sun Nov  6 08:49:37 94",
                             "Sun Nov  6 08:49:37 1994 GMT",
                             "Xyz, 06 Nov 1994 08:49:37 GMT",
                             "Sun, 06 Nov 1994 08:49:37 GMT\r\n",
                             "Sun, +6 Nov 1994 08:49:37 GMT"}) {
      QTest::newRow(text[0] == '\0' ? "empty" : text) << QString::fromLatin1(text);
    }
  }
  void invalid() {
    QFETCH(QString, text);
    QVERIFY(!parseHttpDate(text.toStdString()).has_value());
  }

  void format_data() {
    QTest::addColumn<qint64>("epoch");
    QTest::addColumn<QString>("text");
    QTest::newRow("RFC example") << qint64(784111777) << "Sun, 06 Nov 1994 08:49:37 GMT";
    QTest::newRow("epoch") << qint64(0) << "Thu, 01 Jan 1970 00:00:00 GMT";
    QTest::newRow("before the epoch") << qint64(-1) << "Wed, 31 Dec 1969 23:59:59 GMT";
    QTest::newRow("leap day") << qint64(951825600) << "Tue, 29 Feb 2000 12:00:00 GMT";
    QTest::newRow("past 2038") << qint64(2208988799) << "Sat, 31 Dec 2039 23:59:59 GMT";
    QTest::newRow("clamped high") << qint64(INT64_MAX) << "Fri, 31 Dec 9999 23:59:59 GMT";
    QTest::newRow("clamped low") << qint64(INT64_MIN) << "Sat, 01 Jan 0000 00:00:00 GMT";
  }
  void format() {
    QFETCH(qint64, epoch);
    QFETCH(QString, text);
    QCOMPARE(QString::fromStdString(formatHttpDate(epoch)), text);
  }

  void formatParsesBack() {
    for (int64_t t = -86400LL * 800; t < 86400LL * 365 * 600; t += 86400LL * 13 + 3607) {
      QCOMPARE(parseHttpDate(formatHttpDate(t)), std::optional<int64_t>(t));
    }
  }

  void daysFromCivilMatchesKnownDates() {
    QCOMPARE(daysFromCivil(1970, 1, 1), int64_t{0});
    QCOMPARE(daysFromCivil(1969, 12, 31), int64_t{-1});
    QCOMPARE(daysFromCivil(2000, 3, 1), int64_t{11017});
    QCOMPARE(daysFromCivil(1, 1, 1), int64_t{-719162});
  }
};

QTEST_APPLESS_MAIN(HttpDateParseTest)
#include "http_date_codec_test.moc"
