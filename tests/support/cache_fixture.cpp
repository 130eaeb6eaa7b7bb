#include "tests/support/cache_fixture.h"

#include "tests/support/node_config.h"
#include "tests/support/raw_http_client.h"

namespace sluice::test {

QString cacheSections(const QString& origin_address, const CacheNodeOptions& options) {
  QString upstream = QStringLiteral("upstreams:\n  - name: origin\n    servers: [%1]\n").arg(origin_address);
  if (!options.upstream_extra.isEmpty()) {
    upstream += QStringLiteral("    %1\n").arg(options.upstream_extra);
  }
  return upstream + QStringLiteral(
                        "routes:\n"
                        "  - { name: app, match: { path_prefix: / }, upstream: origin, cache: p }\n"
                        "cache_policies:\n"
                        "  - %1\n"
                        "cache: %2\n")
                        .arg(options.policy, options.cache);
}

QByteArray cacheTarget(const QByteArray& name, const QList<QPair<QByteArray, QByteArray>>& params) {
  QByteArray target = "/cache/" + name;
  char separator = '?';
  for (const auto& [key, value] : params) {
    target += separator + key + "=" + value.toPercentEncoding();
    separator = '&';
  }
  return target;
}

HttpResponse cacheRequest(int port, const QByteArray& target, const QList<QPair<QByteArray, QByteArray>>& headers,
                          const QByteArray& method) {
  ReadOptions options;
  options.head_request = method == "HEAD";
  return RawHttpClient::exchange(port, buildRequest(method, target, headers, {}, "cache.test"), 8000, options);
}

int originCount(const HttpResponse& response) {
  return response.header("X-Origin-Count").toInt();
}

HttpResponse adminPurge(const NodeProcess& node, const QByteArray& query) {
  return RawHttpClient::exchange(node.adminPort(), buildRequest("POST", "/cache/purge?" + query, {}, {}), 8000);
}

}  // namespace sluice::test
