// ControlClient against FakeEngine over a real Unix socket: hello and subscribe on connect,
// request/reply matching, timeouts, framing (partial lines, several per read, overlong lines),
// reconnects with backoff and re-subscription, disconnected-since. Plus LineFramer and
// ReconnectBackoff on their own.

#include "console/client/control_client.h"

#include <QSignalSpy>
#include <QtTest>

#include "console/client/line_framer.h"
#include "console/client/reconnect_backoff.h"
#include "tests/console/support/fake_engine.h"

using namespace sluice::console;
using sluice::console::test::FakeEngine;
using sluice::console::test::makeSnapshot;
using State = ControlConnection::State;

namespace {
QByteArray statsLine(qint64 time_ms) {
  const QJsonObject event{{"event", "stats"}, {"data", makeSnapshot(time_ms)}};
  return QJsonDocument(event).toJson(QJsonDocument::Compact) + '\n';
}
}  // namespace

class ControlClientTest : public QObject {
  Q_OBJECT

 private slots:
  void framerSplitsLinesFedByteByByte() {
    LineFramer framer(64);
    QList<QByteArray> lines;
    int overlong = 0;
    const QByteArray input = "{\"a\":1}\n{\"b\":2}\n{\"c\"";
    for (char c : input) {
      framer.feed(
          QByteArrayView(&c, 1), [&](const QByteArray& line) { lines.append(line); },
          [&](qsizetype) { ++overlong; });
    }
    QCOMPARE(lines, (QList<QByteArray>{"{\"a\":1}", "{\"b\":2}"}));
    QCOMPARE(framer.buffered(), 4);
    framer.feed(
        ":3}\n", [&](const QByteArray& line) { lines.append(line); }, [&](qsizetype) { ++overlong; });
    QCOMPARE(lines.last(), QByteArray("{\"c\":3}"));
    QCOMPARE(overlong, 0);
  }

  void framerDropsAnOverlongLineAndResynchronises() {
    LineFramer framer(16);
    QList<QByteArray> lines;
    int overlong = 0;
    const auto on_line = [&](const QByteArray& line) { lines.append(line); };
    const auto on_overlong = [&](qsizetype) { ++overlong; };
    framer.feed(QByteArray(40, 'x'), on_line, on_overlong);  // no newline yet
    QCOMPARE(overlong, 1);
    QVERIFY(framer.buffered() <= 16);
    framer.feed(QByteArray(1000, 'y'), on_line, on_overlong);  // still the same line
    QCOMPARE(overlong, 1);
    QCOMPARE(framer.buffered(), 0);
    framer.feed("zz\nok\n", on_line, on_overlong);
    QCOMPARE(lines, QList<QByteArray>{"ok"});
    framer.feed(QByteArray(20, 'q') + "\nfine\n", on_line, on_overlong);  // overlong with its newline
    QCOMPARE(overlong, 2);
    QCOMPARE(lines.last(), QByteArray("fine"));
  }

  void backoffDoublesUpToTheCapWithJitter() {
    ReconnectBackoff backoff(500, 10000);
    const QList<int> steps = {500, 1000, 2000, 4000, 8000, 10000, 10000, 10000};
    for (int step : steps) {
      const int delay = backoff.next();
      QVERIFY2(delay <= step && delay >= step * 8 / 10,
               qPrintable(QString("%1 for %2").arg(delay).arg(step)));
    }
    backoff.reset();
    QVERIFY(backoff.next() <= 500);
  }

  void connectsSaysHelloAndSubscribes() {
    FakeEngine engine;
    QVERIFY(engine.listen());
    engine.history = {makeSnapshot(1000), makeSnapshot(2000)};
    ControlClient client;
    QSignalSpy states(&client, &ControlConnection::stateChanged);
    QSignalSpy hellos(&client, &ControlConnection::helloReceived);
    QSignalSpy histories(&client, &ControlConnection::historyReceived);
    QVERIFY(client.disconnectedSince().isValid());
    client.connectTo(engine.path());
    QTRY_COMPARE(client.state(), State::Connected);
    QCOMPARE(states.first().first().value<State>(), State::Connecting);
    QCOMPARE(hellos.count(), 1);
    QCOMPARE(client.helloInfo().value("node").toString(), QString("fake-node"));
    QVERIFY(!client.disconnectedSince().isValid());
    QTRY_COMPARE(histories.count(), 1);
    QCOMPARE(histories.first().first().value<QList<QJsonObject>>().size(), 2);
    QStringList methods;
    for (const QJsonObject& request : engine.requests()) {
      methods.append(request.value("method").toString());
    }
    QCOMPARE(methods, (QStringList{"hello", "stats.subscribe", "stats.history"}));
    QCOMPARE(engine.lastRequest("stats.history").value("params").toObject().value("seconds").toInt(), 900);

    QSignalSpy stats(&client, &ControlConnection::statsReceived);
    engine.sendStats(makeSnapshot(3000, 55));
    QTRY_COMPARE(stats.count(), 1);
    QCOMPARE(
        stats.first().first().toJsonObject().value("totals").toObject().value("requests_per_s").toDouble(),
        55.0);
  }

  void matchesRepliesToTheirRequestsInAnyOrder() {
    FakeEngine engine;
    QVERIFY(engine.listen());
    engine.setSilent("slow");
    ControlClient client;
    client.connectTo(engine.path());
    QTRY_COMPARE(client.state(), State::Connected);
    QStringList got;
    client.request("slow", {{"n", 1}}, this, [&](const ControlReply& reply) {
      got.append("first:" + reply.result.value("tag").toString());
    });
    client.request("slow", {{"n", 2}}, this, [&](const ControlReply& reply) {
      got.append("second:" + reply.result.value("tag").toString());
    });
    QTRY_COMPARE(engine.requestsFor("slow").size(), 2);
    const QJsonValue first_id = engine.requestsFor("slow").at(0).value("id");
    const QJsonValue second_id = engine.requestsFor("slow").at(1).value("id");
    QVERIFY(first_id != second_id);
    // Answer the second first: each handler must still get its own reply.
    engine.sendRaw(QJsonDocument(QJsonObject{{"id", second_id}, {"result", QJsonObject{{"tag", "B"}}}})
                       .toJson(QJsonDocument::Compact) +
                   "\n" +
                   QJsonDocument(QJsonObject{{"id", first_id}, {"result", QJsonObject{{"tag", "A"}}}})
                       .toJson(QJsonDocument::Compact) +
                   "\n");
    QTRY_COMPARE(got.size(), 2);
    QCOMPARE(got, (QStringList{"second:B", "first:A"}));

    // An id that is not a whole number answers nothing, even one that would round to a pending id.
    client.request("slow", {{"n", 3}}, this, [&](const ControlReply& reply) {
      got.append("third:" + reply.result.value("tag").toString());
    });
    QTRY_COMPARE(engine.requestsFor("slow").size(), 3);
    const double third_id = engine.requestsFor("slow").at(2).value("id").toDouble();
    engine.sendRaw(QByteArray("{\"id\":") + QByteArray::number(third_id + 0.5) + ",\"result\":{\"tag\":\"X\"}}\n" +
                   "{\"id\":1e300,\"result\":{\"tag\":\"Y\"}}\n");
    engine.sendRaw(QJsonDocument(QJsonObject{{"id", third_id}, {"result", QJsonObject{{"tag", "C"}}}})
                       .toJson(QJsonDocument::Compact) +
                   "\n");
    QTRY_COMPARE(got.size(), 3);
    QCOMPARE(got.last(), QString("third:C"));

    // Errors come back as errors, with their field.
    engine.setError("rate_limits.set", "invalid", "bad duration '5'", "rate_limits[0].window");
    ControlReply error_reply;
    client.request("rate_limits.set", {{"base_version", 7}}, this,
                   [&](const ControlReply& reply) { error_reply = reply; });
    QTRY_COMPARE(error_reply.code, QString("invalid"));
    QVERIFY(!error_reply.ok);
    QCOMPARE(error_reply.field, QString("rate_limits[0].window"));
    QCOMPARE(client.pendingCount(), 0);
  }

  void aRequestWithoutReplyTimesOutOnce() {
    FakeEngine engine;
    QVERIFY(engine.listen());
    engine.setSilent("stats.get");
    ControlClient::Options options;
    options.reply_timeout_ms = 300;
    ControlClient client(options);
    client.connectTo(engine.path());
    QTRY_COMPARE(client.state(), State::Connected);
    int calls = 0;
    ControlReply got;
    QElapsedTimer timer;
    timer.start();
    client.request("stats.get", {}, this, [&](const ControlReply& reply) {
      ++calls;
      got = reply;
    });
    QTRY_COMPARE(calls, 1);
    QVERIFY(timer.elapsed() >= 250);
    QCOMPARE(got.code, QString("timeout"));
    // A late reply to it is ignored.
    const QJsonValue id = engine.lastRequest("stats.get").value("id");
    engine.sendRaw(
        QJsonDocument(QJsonObject{{"id", id}, {"result", QJsonObject{}}}).toJson(QJsonDocument::Compact) +
        "\n");
    QSignalSpy stats(&client, &ControlConnection::statsReceived);
    engine.sendStats(makeSnapshot(1000));  // something after it, to know the late reply was read
    QTRY_COMPARE(stats.count(), 1);
    QCOMPARE(calls, 1);
    QCOMPARE(client.state(), State::Connected);
  }

  void aContextDestroyedBeforeTheReplyIsNotCalled() {
    FakeEngine engine;
    QVERIFY(engine.listen());
    engine.setSilent("slow");
    ControlClient client;
    client.connectTo(engine.path());
    QTRY_COMPARE(client.state(), State::Connected);
    bool called = false;
    auto* context = new QObject();
    client.request("slow", {}, context, [&](const ControlReply&) { called = true; });
    QTRY_COMPARE(engine.requestsFor("slow").size(), 1);
    delete context;
    const QJsonValue id = engine.lastRequest("slow").value("id");
    engine.sendRaw(
        QJsonDocument(QJsonObject{{"id", id}, {"result", QJsonObject{}}}).toJson(QJsonDocument::Compact) +
        "\n");
    QTRY_COMPARE(client.pendingCount(), 0);
    QVERIFY(!called);
  }

  void partialLinesAndSeveralLinesPerRead() {
    FakeEngine engine;
    QVERIFY(engine.listen());
    ControlClient client;
    QSignalSpy stats(&client, &ControlConnection::statsReceived);
    client.connectTo(engine.path());
    QTRY_COMPARE(engine.subscribedCount(), 1);
    const QByteArray third = statsLine(3000);
    // Two whole lines and half of a third in one write.
    engine.sendRaw(statsLine(1000) + statsLine(2000) + third.left(third.size() / 2));
    QTRY_COMPARE(stats.count(), 2);
    // The rest of the third, then a fourth in a write of its own.
    engine.sendRaw(third.mid(third.size() / 2));
    QTRY_COMPARE(stats.count(), 3);
    QCOMPARE(stats.at(2).first().toJsonObject().value("time_unix_ms").toDouble(), 3000.0);
    engine.sendRaw(statsLine(4000));
    QTRY_COMPARE(stats.count(), 4);
    // A line that is not JSON is reported and skipped; the stream goes on.
    QSignalSpy errors(&client, &ControlConnection::errorOccurred);
    engine.sendRaw("not json\n" + statsLine(5000));
    QTRY_COMPARE(stats.count(), 5);
    QCOMPARE(errors.count(), 1);
  }

  void aLineOverTheLimitIsDroppedAndTheNextOneRead() {
    FakeEngine engine;
    QVERIFY(engine.listen());
    ControlClient::Options options;
    options.max_line = 4096;
    ControlClient client(options);
    QSignalSpy stats(&client, &ControlConnection::statsReceived);
    QSignalSpy errors(&client, &ControlConnection::errorOccurred);
    client.connectTo(engine.path());
    QTRY_COMPARE(engine.subscribedCount(), 1);
    QJsonObject big = makeSnapshot(1000);
    big.insert("padding", QString(100000, QChar('p')));
    engine.sendRaw(
        QJsonDocument(QJsonObject{{"event", "stats"}, {"data", big}}).toJson(QJsonDocument::Compact) + "\n" +
        statsLine(2000));
    QTRY_COMPARE(stats.count(), 1);
    QCOMPARE(stats.first().first().toJsonObject().value("time_unix_ms").toDouble(), 2000.0);
    QCOMPARE(errors.count(), 1);
    QVERIFY(errors.first().first().toString().contains("4096"));
    QCOMPARE(client.state(), State::Connected);
  }

  void reconnectsWithBackoffAndSubscribesAgain() {
    FakeEngine engine;
    QVERIFY(engine.listen());
    ControlClient client;
    client.connectTo(engine.path());
    QTRY_COMPARE(engine.subscribedCount(), 1);
    QSignalSpy states(&client, &ControlConnection::stateChanged);
    const QDateTime before_drop = QDateTime::currentDateTime().addMSecs(-1);
    engine.dropClients();
    QTRY_COMPARE(client.state(), State::Disconnected);
    QVERIFY(client.disconnectedSince().isValid());
    QVERIFY(client.disconnectedSince() >= before_drop);
    QVERIFY(client.lastReconnectDelayMs() >= 400 && client.lastReconnectDelayMs() <= 500);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, 3000);
    QVERIFY(!client.disconnectedSince().isValid());
    QTRY_COMPARE(engine.subscribedCount(), 1);
    QCOMPARE(engine.requestsFor("stats.subscribe").size(), 2);
    QTRY_COMPARE(engine.requestsFor("stats.history").size(), 2);
    QSignalSpy stats(&client, &ControlConnection::statsReceived);
    engine.sendStats(makeSnapshot(1000));
    QTRY_COMPARE(stats.count(), 1);
  }

  void backoffGrowsWhileTheNodeIsAway() {
    FakeEngine engine;
    QVERIFY(engine.listen());
    ControlClient::Options options;
    options.backoff_initial_ms = 100;
    options.backoff_max_ms = 400;
    ControlClient client(options);
    client.connectTo(engine.path());
    QTRY_COMPARE(client.state(), State::Connected);
    bool pending_failed = false;
    engine.setSilent("slow");
    client.request("slow", {}, this,
                   [&](const ControlReply& reply) { pending_failed = reply.code == "disconnected"; });
    QTRY_COMPARE(engine.requestsFor("slow").size(), 1);
    engine.stopListening();
    const QDateTime lost = QDateTime::currentDateTime();
    engine.dropClients();
    QTRY_VERIFY(pending_failed);
    QList<int> delays;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&]() {
          if (delays.isEmpty() || delays.last() != client.lastReconnectDelayMs() ||
              delays.size() < client.reconnectCount()) {
            delays.append(client.lastReconnectDelayMs());
          }
          return client.reconnectCount() >= 4;
        }(),
        5000);
    QCOMPARE(client.state() == State::Connected, false);
    QVERIFY2(client.lastReconnectDelayMs() > 300, qPrintable(QString::number(client.lastReconnectDelayMs())));
    // Still "since" the moment the connection was lost, not the last attempt.
    QVERIFY(qAbs(client.disconnectedSince().msecsTo(lost)) < 1000);
    QVERIFY(client.lastError().contains(engine.path()));
    // The node comes back: the client finds it by itself.
    QVERIFY(engine.listen());
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, 3000);
    QTRY_COMPARE(engine.subscribedCount(), 1);
  }

  void requestsWhileDisconnectedFailAsynchronously() {
    ControlClient client;
    bool called = false;
    ControlReply got;
    client.request("hello", {}, this, [&](const ControlReply& reply) {
      called = true;
      got = reply;
    });
    QVERIFY(!called);  // never inside request()
    QTRY_VERIFY(called);
    QCOMPARE(got.code, QString("not_connected"));
  }

  void aRefusedPeerReportsTheNodesReason() {
    FakeEngine engine;
    QVERIFY(engine.listen());
    // What the node does for a uid it does not allow: one line with "id": null, then close.
    engine.setHandler("hello", [&engine](const QJsonObject&) {
      engine.sendRaw(
          R"({"id":null,"error":{"code":"forbidden","message":"uid 1001 (gid 1001) is not allowed on this socket"}})"
          "\n");
      QTimer::singleShot(0, &engine, [&engine]() { engine.closeClients(); });
      return QJsonObject{{"error", QJsonObject{{"code", "forbidden"}, {"message", "not allowed"}}}};
    });
    ControlClient client;
    QSignalSpy errors(&client, &ControlConnection::errorOccurred);
    client.connectTo(engine.path());
    QTRY_VERIFY(!errors.isEmpty());
    QTRY_COMPARE(client.state(), State::Disconnected);
    bool said_forbidden = false;
    for (const auto& error : errors) {
      said_forbidden |= error.first().toString().contains("forbidden");
    }
    QVERIFY(said_forbidden);
    client.disconnectFromNode();
  }
};

QTEST_MAIN(ControlClientTest)
#include "control_client_test.moc"
