#pragma once
// Many keep-alive connections sending at once, each on its own thread with its own RawHttpClient,
// for tests that need real contention in the node (e.g. exact rate-limit counts across workers).

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

// `connections` threads each send `per_connection` requests, one after another on one keep-alive
// connection (reconnecting if the node closed it). `request(connection, i)` builds each request.
ParallelResult sendInParallel(int port, int connections, int per_connection,
                              const std::function<QByteArray(int connection, int i)>& request,
                              const QString& host = QStringLiteral("127.0.0.1"));

}  // namespace sluice::test
