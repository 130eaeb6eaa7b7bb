// listeners[].max_connections (docs/resilience.md, "Slow clients and connection limits"): the
// connection over a listener's limit gets the global limit's answer (503, Connection: close, closed)
// while another listener of the same node still accepts; refusals are counted with the listener's
// name; a SIGHUP reload applies a new limit to new connections.

#include <QtTest>
#include <csignal>

#include "tests/support/metrics_reader.h"
#include "tests/support/node_process.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/wait_until.h"

using namespace sluice::test;

namespace {

// One worker, so the limit is exact (with more, each worker gets limit / workers, rounded up).
QString listenerConfig(int limit) {
  return QStringLiteral(
             "workers: 1\n"
             "shutdown_grace: 3s\n"
             "listeners:\n"
             "  - name: capped\n"
             "    address: 127.0.0.1:0\n"
             "    max_connections: %1\n"
             "  - name: open\n"
             "    address: 127.0.0.1:0\n"
             "control:\n"
             "  socket: ${TMP}/control.sock\n"
             "  admin_http: 127.0.0.1:0\n"
             "log:\n"
             "  access_log: \"off\"\n"
             "routes:\n"
             "  - name: root\n"
             "    respond: { status: 200, body: \"ok\\n\" }\n")
      .arg(limit);
}

// A kept-alive connection that has been served once (so the node surely counts it).
bool openServed(RawHttpClient& client, int port) {
  return client.connect(port) && client.send(buildRequest("GET", "/")) && client.readResponse().status == 200;
}

// The node refused `client`: a 503 with Connection: close (at accept, or after a request), then closed
// its side. The client closes too: until then the node lingers on the connection, which still counts.
bool refused(RawHttpClient& client, QByteArray& answer) {
  answer = client.readSome(4096, 1000);
  if (answer.isEmpty()) {
    client.send(buildRequest("GET", "/"));
  }
  answer += client.readUntilClosed(3000);
  const bool closed = client.isClosedByPeer();
  client.close();
  return answer.startsWith("HTTP/1.1 503 ") && answer.toLower().contains("\r\nconnection: close\r\n") &&
         closed;
}

}  // namespace

class ListenerLimitsTest : public QObject {
  Q_OBJECT

 private slots:
  void overTheListenerLimitIs503WhileAnotherListenerAccepts() {
    NodeProcess node;
    QVERIFY2(node.start(listenerConfig(2)), qPrintable(node.output()));
    const int capped = node.port(QStringLiteral("capped"));
    const int open = node.port(QStringLiteral("open"));
    QVERIFY(capped > 0 && open > 0);

    RawHttpClient held[2];
    for (RawHttpClient& client : held) {
      QVERIFY(openServed(client, capped));
    }
    RawHttpClient extra;
    QVERIFY(extra.connect(capped));
    QByteArray answer;
    QVERIFY2(refused(extra, answer), answer.constData());

    // The other listener is not affected, nor are the connections already open.
    RawHttpClient others[3];
    for (RawHttpClient& client : others) {
      QVERIFY(openServed(client, open));
    }
    for (RawHttpClient& client : held) {
      QVERIFY(client.send(buildRequest("GET", "/")));
      QCOMPARE(client.readResponse().status, 200);
    }
    const int admin = node.adminPort();
    QVERIFY(waitForMetric(admin, "sluice_listener_connections_refused_total{listener=\"capped\"}", 1.0));
    QCOMPARE(metricValue(admin, "sluice_listener_connections_refused_total{listener=\"open\"}"), 0.0);
    QCOMPARE(metricValue(admin, "sluice_connections_refused_listener_total"), 1.0);
    QCOMPARE(metricValue(admin, "sluice_connections_refused_total"), 0.0);  // not the node's limit
    QVERIFY(waitForMetric(admin, "sluice_listener_connections_active{listener=\"open\"}", 3.0));
    QVERIFY(waitForMetric(admin, "sluice_listener_connections_active{listener=\"capped\"}", 2.0));

    // Closing one makes room again.
    held[0].close();
    QVERIFY(waitUntil([&] { return RawHttpClient::exchange(capped, buildRequest("GET", "/")).status == 200; },
                      3000, 50));
  }

  void reloadAppliesTheNewLimitToNewConnections() {
    NodeProcess node;
    QVERIFY2(node.start(listenerConfig(1)), qPrintable(node.output()));
    const int capped = node.port(QStringLiteral("capped"));
    RawHttpClient first;
    QVERIFY(openServed(first, capped));
    RawHttpClient second;
    QVERIFY(second.connect(capped));
    QByteArray answer;
    QVERIFY2(refused(second, answer), answer.constData());
    QVERIFY(waitForMetric(node.adminPort(), "sluice_listener_connections_active{listener=\"capped\"}", 1.0));

    QVERIFY(node.writeConfig(listenerConfig(2)));
    QVERIFY(node.sendSignal(SIGHUP));
    QVERIFY2(node.waitForOutput(QStringLiteral("config reloaded: version 2")), qPrintable(node.output()));
    RawHttpClient third;
    QVERIFY(openServed(third, capped));  // 2 open now: the new limit
    RawHttpClient fourth;
    QVERIFY(fourth.connect(capped));
    QVERIFY2(refused(fourth, answer), answer.constData());
    QVERIFY(first.send(buildRequest("GET", "/")));  // the connection from before the reload stays
    QCOMPARE(first.readResponse().status, 200);
  }
};

QTEST_GUILESS_MAIN(ListenerLimitsTest)
#include "listener_limits_test.moc"
