// The in-flight bound of an upstream (docs/resilience.md, "In-flight bound"): beyond max_in_flight
// requests wait in a bounded queue; one more than the queue holds is a 503 at once, a queued one
// that waits longer than queue.timeout is a 503, one whose slot frees up in time is served; each
// outcome is counted.

#include <QElapsedTimer>
#include <QtTest>

#include "tests/support/metrics_reader.h"
#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/origin_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

class UpstreamQueueTest : public QObject {
  Q_OBJECT

 private:
  OriginProcess origin_;
  NodeProcess node_;
  int port_ = -1;

  bool waitMetric(const QByteArray& reason, double value) {
    return waitForMetric(node_.adminPort(), "sluice_upstream_rejected_total{reason=\"" + reason + "\"}", value);
  }

 private slots:
  void initTestCase() {
    QVERIFY(origin_.start());
    const QString sections = QStringLiteral(
                                 "upstreams:\n"
                                 "  - name: api\n"
                                 "    servers: [%1]\n"
                                 "    max_in_flight: 1\n"
                                 "    queue: { size: 1, timeout: 2s }\n"
                                 "routes:\n"
                                 "  - { name: api, upstream: api }\n")
                                 .arg(origin_.address());
    QVERIFY2(node_.start(nodeConfig(sections)), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
  }

  void overTheQueueIs503AndAQueuedRequestTimesOut() {
    const qint64 before = origin_.requests();
    RawHttpClient busy;
    RawHttpClient queued;
    QVERIFY(busy.connect(port_) && queued.connect(port_));
    QVERIFY(busy.send(buildRequest("GET", "/delay/3000")));
    QVERIFY(waitUntil([&] { return origin_.requests() == before + 1; }, 3000));
    QElapsedTimer timer;
    timer.start();
    QVERIFY(queued.send(buildRequest("GET", "/")));
    QVERIFY(waitForMetric(node_.adminPort(), "sluice_upstream_queued_total", 1.0));
    // (The metrics roll up once a second: the queue timeout is long enough to see it there first.)
    // The queue (1) is full: the next one is refused at once.
    const HttpResponse full = RawHttpClient::exchange(port_, buildRequest("GET", "/"));
    QCOMPARE(full.status, 503);
    QVERIFY(waitMetric("queue_full", 1.0));
    // The queued request waits 2 s for the slot, then gets its 503.
    const HttpResponse timed_out = queued.readResponse(4000);
    QCOMPARE(timed_out.status, 503);
    QVERIFY2(timer.elapsed() >= 1900 && timer.elapsed() < 2900, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(waitMetric("queue_timeout", 1.0));
    QCOMPARE(busy.readResponse(4000).status, 200);
    QCOMPARE(origin_.requests(), before + 1);
  }

  void aQueuedRequestIsServedWhenTheSlotFrees() {
    const qint64 before = origin_.requests();
    RawHttpClient busy;
    RawHttpClient queued;
    QVERIFY(busy.connect(port_) && queued.connect(port_));
    QVERIFY(busy.send(buildRequest("GET", "/delay/150")));
    QVERIFY(waitUntil([&] { return origin_.requests() == before + 1; }, 3000));
    QVERIFY(queued.send(buildRequest("GET", "/")));
    QCOMPARE(busy.readResponse(3000).status, 200);
    QCOMPARE(queued.readResponse(3000).status, 200);
    QCOMPARE(origin_.requests(), before + 2);
    QVERIFY(waitForMetric(node_.adminPort(), "sluice_upstream_queued_total", 2.0));
  }

  void cleanupTestCase() { QCOMPARE(node_.stop(), 0); }
};

QTEST_GUILESS_MAIN(UpstreamQueueTest)
#include "upstream_queue_test.moc"
