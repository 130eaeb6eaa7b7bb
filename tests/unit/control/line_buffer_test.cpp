// The control socket's line splitter: lines across reads, several per read, the 1 MiB bound.

#include "engine/control/line_buffer.h"

#include <QtTest>
#include <string>
#include <vector>

using sluice::control::LineBuffer;

namespace {

std::vector<std::string> drain(LineBuffer& buffer, LineBuffer::Next& last) {
  std::vector<std::string> lines;
  std::string_view line;
  while ((last = buffer.next(line)) == LineBuffer::Next::Line) {
    lines.emplace_back(line);
  }
  return lines;
}

}  // namespace

class LineBufferTest : public QObject {
  Q_OBJECT

 private slots:
  void splitsLinesAcrossReads() {
    LineBuffer buffer(100);
    LineBuffer::Next last{};
    buffer.append("ab", 2);
    QVERIFY(drain(buffer, last).empty());
    QCOMPARE(last, LineBuffer::Next::NeedMore);
    buffer.append("c\nde\n\nf", 7);
    QCOMPARE(drain(buffer, last), (std::vector<std::string>{"abc", "de", ""}));
    QCOMPARE(last, LineBuffer::Next::NeedMore);
    QCOMPARE(buffer.buffered(), size_t{1});
    buffer.append("g\n", 2);
    QCOMPARE(drain(buffer, last), (std::vector<std::string>{"fg"}));
  }

  void lineOfExactlyTheLimitPasses() {
    LineBuffer buffer(4);
    LineBuffer::Next last{};
    buffer.append("abcd", 4);
    QVERIFY(drain(buffer, last).empty());
    QCOMPARE(last, LineBuffer::Next::NeedMore);
    buffer.append("\n", 1);
    QCOMPARE(drain(buffer, last), (std::vector<std::string>{"abcd"}));
  }

  void overlongLineWithoutNewline() {
    LineBuffer buffer(4);
    LineBuffer::Next last{};
    buffer.append("ok\nabcde", 8);
    QCOMPARE(drain(buffer, last), (std::vector<std::string>{"ok"}));
    QCOMPARE(last, LineBuffer::Next::TooLong);
    QCOMPARE(buffer.buffered(), size_t{0});
  }

  void overlongLineWithNewline() {
    LineBuffer buffer(4);
    LineBuffer::Next last{};
    buffer.append("abcdefgh\nok\n", 12);
    QVERIFY(drain(buffer, last).empty());
    QCOMPARE(last, LineBuffer::Next::TooLong);
  }

  // A long line arriving in small pieces is scanned once, and its bytes stay bounded by the limit.
  void manySmallReads() {
    LineBuffer buffer(1 << 20);
    LineBuffer::Next last{};
    std::string piece(1000, 'x');
    for (int i = 0; i < 1000; ++i) {
      buffer.append(piece.data(), piece.size());
      QVERIFY(drain(buffer, last).empty());
      QCOMPARE(last, LineBuffer::Next::NeedMore);
    }
    buffer.append("\n", 1);
    const auto lines = drain(buffer, last);
    QCOMPARE(lines.size(), size_t{1});
    QCOMPARE(lines[0].size(), size_t{1000000});
  }
};

QTEST_GUILESS_MAIN(LineBufferTest)
#include "line_buffer_test.moc"
