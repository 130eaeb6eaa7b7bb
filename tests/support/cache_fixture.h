#pragma once
// What the cache integration tests share: a test origin and a node whose catch-all route `app`
// proxies to it with cache policy `p` (store in the node's temp dir), plus helpers to build
// /cache/ targets whose response headers the test controls (see test_origin/README.md).

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include "tests/support/http_response.h"
#include "tests/support/node_process.h"
#include "tests/support/origin_process.h"

namespace sluice::test {

struct CacheNodeOptions {
  int workers = 1;
  QString policy = QStringLiteral("{ name: p, default_ttl: 30s, max_ttl: 1h }");
  QString cache = QStringLiteral("{ path: \"${TMP}/cache\", max_size: 64MiB }");
  QString upstream_extra;  // more keys for the upstream entry, e.g. "response_timeout: 1s"
};

// The YAML sections (upstreams, routes, cache_policies, cache) for `origin`.
QString cacheSections(const QString& origin_address, const CacheNodeOptions& options = {});

// "/cache/NAME?k=v&..." with the values percent-encoded.
QByteArray cacheTarget(const QByteArray& name, const QList<QPair<QByteArray, QByteArray>>& params = {});

// One GET (or `method`) on a fresh connection.
HttpResponse cacheRequest(int port, const QByteArray& target,
                          const QList<QPair<QByteArray, QByteArray>>& headers = {},
                          const QByteArray& method = "GET");

// The X-Origin-Count the origin put in the response (0 when absent).
int originCount(const HttpResponse& response);

// POST /cache/purge?QUERY on the node's admin_http; the response.
HttpResponse adminPurge(const NodeProcess& node, const QByteArray& query);

}  // namespace sluice::test
