// RequestIdFilter (engine/filters/request_id/request_id_filter.h): keep a valid client id, else generate.

#include <QtTest>
#include <string>
#include <unordered_set>

#include "engine/filters/request_id/request_id_filter.h"

using sluice::filters::FilterStatus;
using sluice::filters::RequestIdFilter;
using sluice::http::RequestHead;
using sluice::server::RequestContext;
using sluice::server::ResponseSink;
using sluice::server::ResponseStart;

namespace {

// The filter never answers by itself; any call here is a failure.
class NullSink : public ResponseSink {
 public:
  void startResponse(const ResponseStart&) override { ++calls; }
  bool sendBody(const char*, size_t) override {
    ++calls;
    return false;
  }
  void finishResponse() override { ++calls; }
  size_t pendingOutput() const override { return 0; }
  void resumeRequestBody() override { ++calls; }
  void sendContinue() override { ++calls; }
  void flush() override { ++calls; }
  void sendError(int, std::string_view) override { ++calls; }

  int calls = 0;
};

bool isLowerHex32(const std::string& id) {
  if (id.size() != 32) {
    return false;
  }
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

std::string runFilter(RequestIdFilter& filter, const std::string* given, NullSink& sink) {
  RequestHead head;
  head.method = "GET";
  head.target = "/";
  head.headers.push_back({"Host", "a"});
  if (given != nullptr) {
    head.headers.push_back({"X-Request-Id", *given});
  }
  RequestContext context;
  context.request_id = "stale";
  const FilterStatus status = filter.onRequest(head, context, sink);
  if (status != FilterStatus::Continue) {
    return "<stopped>";
  }
  return context.request_id;
}

}  // namespace

class RequestIdTest : public QObject {
  Q_OBJECT

 private slots:
  void validIdsAreKept_data() {
    QTest::addColumn<QByteArray>("id");
    QTest::newRow("one char") << QByteArray("a");
    QTest::newRow("uuid") << QByteArray("123e4567-e89b-12d3-a456-426614174000");
    QTest::newRow("all classes") << QByteArray("AZaz09._:-");
    QTest::newRow("128 chars") << QByteArray(128, 'x');
  }
  void validIdsAreKept() {
    QFETCH(QByteArray, id);
    const std::string given = id.toStdString();
    QVERIFY(RequestIdFilter::isValid(given));
    RequestIdFilter filter;
    NullSink sink;
    QCOMPARE(runFilter(filter, &given, sink), given);
    QCOMPARE(sink.calls, 0);
  }

  void invalidIdsAreReplaced_data() {
    QTest::addColumn<QByteArray>("id");
    QTest::newRow("empty") << QByteArray("");
    QTest::newRow("129 chars") << QByteArray(129, 'x');
    QTest::newRow("space") << QByteArray("abc def");
    QTest::newRow("slash") << QByteArray("abc/def");
    QTest::newRow("non-ASCII") << QByteArray("caf\xc3\xa9");
    QTest::newRow("CR") << QByteArray("abc\rdef");
    QTest::newRow("quote") << QByteArray("a\"b");
    QTest::newRow("NUL") << QByteArray("ab\0cd", 5);
  }
  void invalidIdsAreReplaced() {
    QFETCH(QByteArray, id);
    const std::string given = id.toStdString();
    QVERIFY(!RequestIdFilter::isValid(given));
    RequestIdFilter filter;
    NullSink sink;
    const std::string out = runFilter(filter, &given, sink);
    QVERIFY2(isLowerHex32(out), out.c_str());
    QCOMPARE(sink.calls, 0);
  }

  void absentIdIsGenerated() {
    RequestIdFilter filter;
    NullSink sink;
    const std::string out = runFilter(filter, nullptr, sink);
    QVERIFY2(isLowerHex32(out), out.c_str());
  }

  void headerNameIsCaseInsensitive() {
    RequestIdFilter filter;
    NullSink sink;
    RequestHead head;
    head.headers.push_back({"x-request-id", "lower-case-name"});
    RequestContext context;
    QCOMPARE(filter.onRequest(head, context, sink), FilterStatus::Continue);
    QCOMPARE(context.request_id, std::string("lower-case-name"));
  }

  void generatedIdsAreDistinct() {
    RequestIdFilter filter;
    NullSink sink;
    std::unordered_set<std::string> seen;
    for (int i = 0; i < 10000; ++i) {
      const std::string id = runFilter(filter, nullptr, sink);
      QVERIFY2(isLowerHex32(id), id.c_str());
      seen.insert(id);
    }
    QCOMPARE(seen.size(), size_t{10000});
  }

  void twoFiltersGenerateDifferentIds() {
    RequestIdFilter a;
    RequestIdFilter b;
    NullSink sink;
    QVERIFY(runFilter(a, nullptr, sink) != runFilter(b, nullptr, sink));
  }
};

QTEST_APPLESS_MAIN(RequestIdTest)
#include "request_id_test.moc"
