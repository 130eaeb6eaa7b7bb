// A SIGHUP reload that edits a policy takes effect at once, without a restart, and keeps the state
// of every key: a key that used its allowance stays limited under the new numbers, another
// policy's keys are untouched.

#include <signal.h>

#include <QtTest>

#include "tests/support/node_config.h"
#include "tests/support/node_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

namespace {

QString config(int bucket_limit, const QString& bucket_window) {
  return nodeConfig(QStringLiteral("rate_limits:\n"
                                   "  - { name: bucket, key: 'header:X-Key', limit: %1, window: %2 }\n"
                                   "  - { name: other, algorithm: fixed_window, key: route, limit: 4, window: 10h }\n"
                                   "routes:\n"
                                   "  - { name: b, match: { path_exact: /b }, respond: { body: ok }, rate_limits: [bucket] }\n"
                                   "  - { name: o, match: { path_exact: /o }, respond: { body: ok }, rate_limits: [other] }\n")
                        .arg(bucket_limit)
                        .arg(bucket_window),
                    {.workers = 2});
}

HttpResponse get(int port, const QByteArray& path, const QByteArray& key = {}) {
  QList<QPair<QByteArray, QByteArray>> headers;
  if (!key.isEmpty()) {
    headers.append({"X-Key", key});
  }
  return RawHttpClient::exchange(port, buildRequest("GET", path, headers));
}

int passed(int port, const QByteArray& path, const QByteArray& key, int n) {
  int ok = 0;
  for (int i = 0; i < n; ++i) {
    ok += get(port, path, key).status == 200 ? 1 : 0;
  }
  return ok;
}

}  // namespace

class RateLimitReloadTest : public QObject {
  Q_OBJECT

 private slots:
  void editedLimitAppliesAndStateIsKept() {
    NodeProcess node;
    QVERIFY2(node.start(config(3, QStringLiteral("10h"))), qPrintable(node.output()));
    const int port = node.port(QStringLiteral("plain"));
    QCOMPARE(passed(port, "/b", "used", 5), 3);    // `used` has spent its 3
    QCOMPARE(passed(port, "/b", "partly", 1), 1);  // `partly` has 2 left
    QCOMPARE(passed(port, "/o", {}, 3), 3);        // `other` has 1 left

    // Twice the limit in the same window. A token bucket keeps each key's backlog, the time it owes:
    // `used` owes a whole window, so it is still empty (and now refills twice as fast); `partly`
    // owes a third of the window, so 4 of the new 6 are left.
    QVERIFY(node.writeConfig(config(6, QStringLiteral("10h"))));
    QVERIFY(node.sendSignal(SIGHUP));
    QVERIFY2(node.waitForOutput(QStringLiteral("config reloaded: version 2")), qPrintable(node.output()));
    QVERIFY(get(port, "/b", "fresh").header("RateLimit-Policy").contains("q=6"));
    QCOMPARE(passed(port, "/b", "used", 10), 0);
    QCOMPARE(passed(port, "/b", "partly", 10), 4);
    QCOMPARE(passed(port, "/b", "fresh", 10), 5);  // a new key gets the new 6 (1 used above)
    // The other policy's key kept its count across the reload.
    QCOMPARE(passed(port, "/o", {}, 3), 1);

    // Lowering the limit applies at once too.
    QVERIFY(node.writeConfig(config(1, QStringLiteral("10h"))));
    QVERIFY(node.sendSignal(SIGHUP));
    QVERIFY2(node.waitForOutput(QStringLiteral("config reloaded: version 3")), qPrintable(node.output()));
    QCOMPARE(passed(port, "/b", "newcomer", 3), 1);
    QVERIFY(node.isRunning());
  }
};

QTEST_GUILESS_MAIN(RateLimitReloadTest)
#include "rate_limit_reload_test.moc"
