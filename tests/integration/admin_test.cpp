// The admin HTTP endpoint (control.admin_http): /healthz and Prometheus /metrics.

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtTest>

#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

namespace {

// Sum of the samples of `metric` whose labels include route="ROUTE" (over status and other labels).
double sumForRoute(const QByteArray& text, const QByteArray& metric, const QByteArray& route) {
  double sum = 0;
  for (const QByteArray& line : text.split('\n')) {
    if (line.startsWith(metric + '{') && line.contains("route=\"" + route + "\"")) {
      sum += line.mid(line.lastIndexOf(' ') + 1).toDouble();
    }
  }
  return sum;
}

}  // namespace

class AdminTest : public QObject {
  Q_OBJECT

 private:
  NodeProcess node_;
  int port_ = -1;
  int admin_ = -1;

 private slots:
  void initTestCase() {
    const QString routes = QStringLiteral(
        "routes:\n"
        "  - { name: alpha, match: { path_prefix: /a }, respond: { status: 200, body: \"a\" } }\n"
        "  - { name: beta, match: { path_prefix: /b }, respond: { status: 200, body: \"b\" } }\n");
    QVERIFY2(node_.start(nodeConfig(routes, {.workers = 2})), qPrintable(node_.output()));
    port_ = node_.port(QStringLiteral("plain"));
    admin_ = node_.adminPort();
    QVERIFY(port_ > 0);
    QVERIFY2(admin_ > 0, qPrintable(node_.output()));
  }

  void healthzIsOk() {
    const HttpResponse response = RawHttpClient::exchange(admin_, buildRequest("GET", "/healthz"));
    QCOMPARE(response.status, 200);
  }

  void metricsCountRequestsPerRoute() {
    for (int i = 0; i < 3; ++i) {
      QCOMPARE(RawHttpClient::exchange(port_, buildRequest("GET", "/a")).status, 200);
    }
    for (int i = 0; i < 2; ++i) {
      QCOMPARE(RawHttpClient::exchange(port_, buildRequest("GET", "/b")).status, 200);
    }
    HttpResponse metrics;
    const bool counted = waitUntil(
        [&] {
          metrics = RawHttpClient::exchange(admin_, buildRequest("GET", "/metrics"));
          return sumForRoute(metrics.body, "sluice_requests_total", "alpha") == 3 &&
                 sumForRoute(metrics.body, "sluice_requests_total", "beta") == 2;
        },
        3000, 100);
    QVERIFY2(counted, metrics.body.left(4000).constData());
    QCOMPARE(metrics.status, 200);
    QVERIFY2(metrics.header("Content-Type").startsWith("text/plain"),
             metrics.header("Content-Type").constData());
    QVERIFY(metrics.body.contains("# TYPE sluice_requests_total counter"));
  }

  // /stats is the same snapshot the control socket streams, with the process's CPU and memory.
  void statsHasTheProcess() {
    QJsonObject process;
    const bool ticked = waitUntil(
        [&] {
          const HttpResponse r = RawHttpClient::exchange(admin_, buildRequest("GET", "/stats"));
          process = QJsonDocument::fromJson(r.body).object().value(QStringLiteral("process")).toObject();
          return process.value(QStringLiteral("rss_bytes")).toDouble() > 0;
        },
        3000, 100);
    QVERIFY2(ticked, QJsonDocument(process).toJson().constData());
    QVERIFY(process.value(QStringLiteral("cpu_percent")).toDouble() >= 0);
    QVERIFY(process.contains(QStringLiteral("cpu_seconds_total")));
  }

  void unknownAdminPathIs404() {
    QCOMPARE(RawHttpClient::exchange(admin_, buildRequest("GET", "/nope")).status, 404);
  }
};

QTEST_GUILESS_MAIN(AdminTest)
#include "admin_test.moc"
