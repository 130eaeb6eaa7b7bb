#pragma once
// Many keep-alive connections with a request in flight on each at once, for tests that need real
// contention in the node (e.g. exact rate-limit counts across workers). One thread: each round sends
// one request on every connection, then reads every answer, so the node has them all at the same
// time. (No threads: under TSan a process that has started a child while it had threads, as QtTest's
// watchdog makes every test, may not start new ones.)

#include <QByteArray>
#include <QMap>
#include <QString>
#include <functional>

namespace sluice::test {

struct ParallelResult {
  QMap<int, int> by_status;  // responses per status code
  int failures = 0;          // requests that got no complete response
  int count(int status) const { return by_status.value(status, 0); }
};

// `connections` keep-alive connections each send `per_connection` requests, one per round
// (reconnecting if the node closed one). `request(connection, i)` builds each request.
ParallelResult sendInParallel(int port, int connections, int per_connection,
                              const std::function<QByteArray(int connection, int i)>& request,
                              const QString& host = QStringLiteral("127.0.0.1"));

}  // namespace sluice::test
