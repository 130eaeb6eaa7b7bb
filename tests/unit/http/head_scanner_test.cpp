// HeadScanner (engine/http/head_scanner.h): the CRLF / obs-fold strictness pass over a head.

#include "engine/http/head_scanner.h"

#include <QtTest>
#include <string>

using sluice::http::HeadScanner;

namespace {

using Result = HeadScanner::Result;

Result scanAll(HeadScanner& scanner, const std::string& bytes, size_t& end) {
  return scanner.scan(bytes.data(), bytes.size(), end);
}

}  // namespace

class HeadScannerTest : public QObject {
  Q_OBJECT

 private slots:
  void findsHeadEnd() {
    HeadScanner s;
    const std::string head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    size_t end = 99;
    QCOMPARE(scanAll(s, head + "body bytes", end), Result::HeadEnd);
    QCOMPARE(end, head.size());
    QVERIFY(!s.active());
    // Once the head ended, the scanner ignores what follows (a body may hold anything).
    end = 99;
    QCOMPARE(scanAll(s, "\n \t\n", end), Result::HeadEnd);
    QCOMPARE(end, size_t{0});
  }

  void needsMoreUntilEmptyLine() {
    HeadScanner s;
    size_t end = 0;
    QCOMPARE(scanAll(s, "GET / HTTP/1.1\r\nHost: a\r\n", end), Result::NeedMore);
    QCOMPARE(end, size_t{25});
    QVERIFY(s.active());
  }

  void splitAnywhereGivesTheSameResult() {
    const std::string head = "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\r\n";
    for (size_t cut = 1; cut < head.size(); ++cut) {
      HeadScanner s;
      size_t end = 0;
      QCOMPARE(s.scan(head.data(), cut, end), Result::NeedMore);
      QCOMPARE(end, cut);
      QCOMPARE(s.scan(head.data() + cut, head.size() - cut, end), Result::HeadEnd);
      QCOMPARE(end, head.size() - cut);
    }
  }

  void byteByByte() {
    const std::string head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    HeadScanner s;
    size_t end = 0;
    for (size_t i = 0; i + 1 < head.size(); ++i) {
      QCOMPARE(s.scan(head.data() + i, 1, end), Result::NeedMore);
    }
    QCOMPARE(s.scan(head.data() + head.size() - 1, 1, end), Result::HeadEnd);
    QCOMPARE(end, size_t{1});
  }

  void leadingEmptyLinesAreSkipped() {
    HeadScanner s;
    size_t end = 0;
    const std::string bytes = "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";
    QCOMPARE(scanAll(s, bytes, end), Result::HeadEnd);
    QCOMPARE(end, bytes.size());
  }

  void bareLf_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("request line") << QByteArray("GET / HTTP/1.1\nHost: a\r\n\r\n");
    QTest::newRow("header") << QByteArray("GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n");
    QTest::newRow("final empty line") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\n");
    QTest::newRow("leading") << QByteArray("\nGET / HTTP/1.1\r\n\r\n");
  }
  void bareLf() {
    QFETCH(QByteArray, bytes);
    HeadScanner s;
    size_t end = 0;
    QCOMPARE(s.scan(bytes.constData(), static_cast<size_t>(bytes.size()), end), Result::BareLf);
  }

  void bareLfSplitFromItsLine() {
    // The CR that would make it a CRLF is in the previous read: still a CRLF.
    HeadScanner s;
    size_t end = 0;
    QCOMPARE(scanAll(s, "GET / HTTP/1.1\r", end), Result::NeedMore);
    QCOMPARE(scanAll(s, "\nHost: a\r\n\r\n", end), Result::HeadEnd);
    // Without it, a LF in the next read is bare.
    HeadScanner t;
    QCOMPARE(scanAll(t, "GET / HTTP/1.1", end), Result::NeedMore);
    QCOMPARE(scanAll(t, "\nHost: a\r\n\r\n", end), Result::BareLf);
  }

  void obsFold() {
    HeadScanner s;
    size_t end = 0;
    QCOMPARE(scanAll(s, "GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n two\r\n\r\n", end), Result::ObsFold);
    HeadScanner t;
    QCOMPARE(scanAll(t, "GET / HTTP/1.1\r\nHost: a\r\n", end), Result::NeedMore);
    QCOMPARE(scanAll(t, "\tcontinued\r\n\r\n", end), Result::ObsFold);
  }

  void spacesInsideALineAreFine() {
    HeadScanner s;
    size_t end = 0;
    QCOMPARE(scanAll(s, "GET / HTTP/1.1\r\nHost:   a \t\r\n\r\n", end), Result::HeadEnd);
  }

  void bareCr() {
    // RFC 9112, 2.2: a CR not followed by LF is invalid; the scanner must not let it end a line.
    HeadScanner s;
    size_t end = 0;
    const Result r = scanAll(s, "GET / HTTP/1.1\r\nHost: a\r\n\rGET /admin HTTP/1.1\r\nHost: a\r\n\r\n", end);
    // Refused as a bare CR (the parser answers 400).
    QVERIFY2(r == Result::BareCr, "a bare CR passed the scanner");
  }

  void spaceBeforeColon() {
    HeadScanner s;
    size_t end = 0;
    QCOMPARE(scanAll(s, "GET / HTTP/1.1\r\nHost: a\r\nX-A : b\r\n\r\n", end), Result::SpaceBeforeColon);
    HeadScanner tab;
    QCOMPARE(scanAll(tab, "GET / HTTP/1.1\r\nX-A\t: b\r\n\r\n", end), Result::SpaceBeforeColon);
    // A space before a colon inside a value, or in the request line, is fine.
    HeadScanner value;
    QCOMPARE(scanAll(value, "GET / HTTP/1.1\r\nHost: a\r\nX-A: b :c\r\n\r\n", end), Result::HeadEnd);
    HeadScanner split;
    QCOMPARE(scanAll(split, "GET / HTTP/1.1\r\nX-A ", end), Result::NeedMore);
    QCOMPARE(scanAll(split, ": b\r\n\r\n", end), Result::SpaceBeforeColon);
  }

  void bareCrAtTheEndOfARead() {
    HeadScanner s;
    size_t end = 0;
    QCOMPARE(scanAll(s, "GET / HTTP/1.1\r\nHost: a\r", end), Result::NeedMore);
    QCOMPARE(scanAll(s, "X-A: b\r\n\r\n", end), Result::BareCr);
    HeadScanner ok;
    QCOMPARE(scanAll(ok, "GET / HTTP/1.1\r\nHost: a\r", end), Result::NeedMore);
    QCOMPARE(scanAll(ok, "\n\r\n", end), Result::HeadEnd);
    QCOMPARE(end, size_t{3});
  }

  void resetStartsOver() {
    HeadScanner s;
    size_t end = 0;
    QCOMPARE(scanAll(s, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", end), Result::HeadEnd);
    s.reset();
    QVERIFY(s.active());
    QCOMPARE(scanAll(s, "GET / HTTP/1.1\r\n", end), Result::NeedMore);
    QCOMPARE(scanAll(s, " folded\r\n", end), Result::ObsFold);
  }
};

QTEST_APPLESS_MAIN(HeadScannerTest)
#include "head_scanner_test.moc"
