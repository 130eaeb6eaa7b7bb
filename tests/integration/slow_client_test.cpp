// limits.min_request_rate against slowloris and slow POST (docs/resilience.md, "Slow clients and
// connection limits"): a head or body trickled below the rate after the grace gets 408 and is
// closed (a body already streaming upstream is aborted there), while a normal client on the same
// node is served and a client just above the rate passes. Small rates and a 1 s grace keep each
// case within a few seconds; header_timeout and body_timeout are long, so a cut is the rate's doing.

#include <QtTest>

#include "tests/support/metrics_reader.h"
#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/origin_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

namespace {

constexpr int kPaceMs = 100;  // a trickling client sends every kPaceMs

// What a trickling client got: an early answer (empty when it sent everything unanswered), and how
// many normal requests were served on the same node while it trickled.
struct TrickleOutcome {
  QByteArray answer;
  int served_alongside = 0;
};

// Sends `bytes` `step` bytes at a time, one step every kPaceMs (the wait is for an answer, which a
// cut brings early), and, with a `normal_port`, a normal request on a fresh connection every 5 steps.
// Stops at the first answer, or right after the last step.
TrickleOutcome trickle(RawHttpClient& client, const QByteArray& bytes, int step, int normal_port) {
  TrickleOutcome out;
  for (int sent = 0, round = 0; sent < bytes.size() && out.answer.isEmpty(); sent += step, ++round) {
    if (!client.send(bytes.mid(sent, step))) {
      out.answer = client.readSome(4096, 1000);  // the node closed first; its answer may be buffered
      break;
    }
    if (sent + step >= bytes.size()) {
      break;  // all sent: the caller reads the answer
    }
    out.answer = client.readSome(4096, kPaceMs);
    if (normal_port > 0 && round % 5 == 0 &&
        RawHttpClient::exchange(normal_port, buildRequest("GET", "/")).status == 200) {
      ++out.served_alongside;
    }
  }
  return out;
}

// The trickling client was cut: 408, then the node closed the connection.
bool wasCut(RawHttpClient& client, const TrickleOutcome& out, QByteArray& why) {
  why = out.answer + client.readUntilClosed(3000);
  return why.startsWith("HTTP/1.1 408 ") && client.isClosedByPeer();
}

QByteArray padding(int size) {
  return QByteArray(size, 'p');
}

}  // namespace

class SlowClientTest : public QObject {
  Q_OBJECT

 private:
  OriginProcess origin_;
  NodeProcess node_;
  int port_ = -1;

  double metric(const QByteArray& series) const { return metricValue(node_.adminPort(), series); }

 private slots:
  void initTestCase() {
    QVERIFY(origin_.start());
    const QString sections = QStringLiteral(
                                 "limits:\n"
                                 "  header_timeout: 30s\n"
                                 "  body_timeout: 30s\n"
                                 "  min_request_rate: 100\n"
                                 "  min_rate_grace: 1s\n"
                                 "upstreams:\n"
                                 "  - name: origin\n"
                                 "    servers: [%1]\n"
                                 "routes:\n"
                                 "  - name: upload\n"
                                 "    match: { path_prefix: /upload }\n"
                                 "    upstream: origin\n"
                                 "  - name: local\n"
                                 "    match: { path_prefix: / }\n"
                                 "    respond: { status: 200, body: \"ok\\n\" }\n")
                                 .arg(origin_.address());
    QVERIFY2(node_.start(nodeConfig(sections)), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
    QVERIFY(port_ > 0);
  }

  void slowlorisHeadIs408WhileOthersAreServed() {
    RawHttpClient slow;
    QVERIFY(slow.connect(port_));
    // A head that never ends, 2 bytes per 100 ms (20 B/s, a fifth of the minimum).
    QByteArray head = "GET / HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 100; ++i) {
      head += "X-" + QByteArray::number(i) + ": y\r\n";
    }
    const TrickleOutcome out = trickle(slow, head, 2, port_);
    QByteArray answer;
    QVERIFY2(wasCut(slow, out, answer), answer.constData());
    QVERIFY2(out.served_alongside >= 1, "no normal request was served while the slow head trickled");
    QVERIFY(waitForMetric(node_.adminPort(), "sluice_http_errors_total{reason=\"slow_head\"}", 1.0));
    QCOMPARE(metric("sluice_http_errors_total{reason=\"header_timeout\"}"), 0.0);
    QVERIFY2(node_.waitForOutput(QStringLiteral("request head too slow")), qPrintable(node_.output()));
  }

  void slowPostIs408AndTheUpstreamRequestIsAborted() {
    const qint64 before = origin_.requests();
    RawHttpClient slow;
    QVERIFY(slow.connect(port_));
    QVERIFY(slow.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n\r\n"));
    // The head went through at once: the request is streaming to the origin.
    QVERIFY(waitUntil([&] { return origin_.requests() == before + 1; }, 3000));
    const int open_upstream = origin_.stats().value(QStringLiteral("active_connections")).toInt();
    const TrickleOutcome out = trickle(slow, padding(10000), 4, port_);  // 40 B/s
    QByteArray answer;
    QVERIFY2(wasCut(slow, out, answer), answer.constData());
    QVERIFY(out.served_alongside >= 1);
    QVERIFY(waitForMetric(node_.adminPort(), "sluice_http_errors_total{reason=\"slow_body\"}", 1.0));
    QCOMPARE(metric("sluice_http_errors_total{reason=\"body_timeout\"}"), 0.0);
    // The upstream connection that carried the half-sent body is closed, not kept for reuse.
    QVERIFY2(waitUntil(
                 [&] {
                   return origin_.stats().value(QStringLiteral("active_connections")).toInt() ==
                          open_upstream - 1;
                 },
                 3000),
             "the upstream request was not aborted");
    QVERIFY2(node_.waitForOutput(QStringLiteral("request body too slow")), qPrintable(node_.output()));
  }

  void slowChunkedBodyOnALocalRouteIs408() {
    RawHttpClient slow;
    QVERIFY(slow.connect(port_));
    QVERIFY(slow.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
    QByteArray chunks;
    for (int i = 0; i < 100; ++i) {
      chunks += "1\r\nz\r\n";  // 1 byte of body per chunk: 10 B/s of body
    }
    const TrickleOutcome out = trickle(slow, chunks, 6, 0);
    QByteArray answer;
    QVERIFY2(wasCut(slow, out, answer), answer.constData());
  }

  void headAboveTheRatePasses() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    // About 300 B/s for 2 s: three times the minimum, so a busy test machine's slower pace passes too.
    const QByteArray request = buildRequest("GET", "/", {{"X-Pad", padding(560)}});
    const TrickleOutcome out = trickle(client, request, 30, 0);
    QVERIFY2(out.answer.isEmpty(), out.answer.constData());
    QCOMPARE(client.readResponse().status, 200);
  }

  void bodyAboveTheRatePasses() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 600\r\n\r\n"));
    const TrickleOutcome out = trickle(client, padding(600), 30, 0);  // ~300 B/s for 2 s
    QVERIFY2(out.answer.isEmpty(), out.answer.constData());
    QCOMPARE(client.readResponse().status, 200);
  }

  void bodyAboveTheRateStreamsUpstream() {
    RawHttpClient client;
    QVERIFY(client.connect(port_));
    QVERIFY(client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 600\r\n\r\n"));
    const TrickleOutcome out = trickle(client, padding(600), 30, 0);
    QVERIFY2(out.answer.isEmpty(), out.answer.constData());
    const HttpResponse response = client.readResponse();
    QCOMPARE(response.status, 200);
    QVERIFY2(response.body.contains("\"bytes\":600"), response.body.constData());
  }
};

QTEST_GUILESS_MAIN(SlowClientTest)
#include "slow_client_test.moc"
