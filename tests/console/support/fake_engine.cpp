#include "tests/console/support/fake_engine.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSet>

namespace sluice::console::test {

namespace {
QJsonObject result(const QJsonObject& value) {
  return {{QStringLiteral("result"), value}};
}
QJsonObject error(const QString& code, const QString& message, const QString& field = {},
                  const QJsonArray& errors = {}) {
  QJsonObject body{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
  if (!field.isNull()) {
    body.insert(QStringLiteral("field"), field);
  }
  if (!errors.isEmpty()) {
    body.insert(QStringLiteral("errors"), errors);
  }
  return {{QStringLiteral("error"), body}};
}
QJsonArray parseArray(const char* json) {
  return QJsonDocument::fromJson(json).array();
}
}  // namespace

FakeEngine::FakeEngine(QObject* parent) : QObject(parent) {
  path_ = dir_.filePath(QStringLiteral("control.sock"));
  connect(&server_, &QLocalServer::newConnection, this, &FakeEngine::onNewConnection);
  connect(&stream_timer_, &QTimer::timeout, this, [this]() {
    stream_time_ms_ += 1000;
    sendStats(makeSnapshot(stream_time_ms_, 100 + (streamed_ % 20) * 5));
    ++streamed_;
  });
  rate_limits_ = parseArray(R"([
    {"name": "per_ip", "algorithm": "token_bucket", "key": "client_ip", "limit": 100, "window": "1m", "burst": 20},
    {"name": "per_key", "algorithm": "sliding_window", "key": "header:x-api-key", "limit": 1000, "window": "1h"}])");
  cache_policies_ = parseArray(R"([{"name": "short", "default_ttl": "60s", "max_ttl": "1h",
                                    "stale_while_revalidate": "30s"}])");
  routes_ = parseArray(R"([
    {"name": "api", "match": {"path_prefix": "/v1/"}, "handler": "proxy", "upstream": "api", "cache": "short",
     "rate_limits": ["per_ip"]},
    {"name": "static", "match": {"path_prefix": "/"}, "handler": "proxy", "upstream": "api", "cache": null,
     "rate_limits": []}])");
  upstreams_ = parseArray(R"([{"name": "api", "balance": "round_robin", "servers": [
    {"address": "127.0.0.1:9001", "drained": false, "down": false, "requests_total": 1234, "failures_total": 0},
    {"address": "127.0.0.1:9002", "drained": false, "down": true, "requests_total": 1200, "failures_total": 7}]}])");
}

FakeEngine::~FakeEngine() {
  stream_timer_.stop();
  for (Client& client : clients_) {
    if (client.socket) {
      client.socket->disconnect(this);
      client.socket->abort();
    }
  }
}

bool FakeEngine::listen() {
  server_.setSocketOptions(QLocalServer::UserAccessOption);
  return server_.listen(path_);
}

void FakeEngine::stopListening() {
  server_.close();
}

void FakeEngine::setHandler(const QString& method, Handler handler) {
  handlers_.insert(method, std::move(handler));
}

void FakeEngine::setResult(const QString& method, const QJsonObject& value) {
  setHandler(method, [value](const QJsonObject&) { return result(value); });
}

void FakeEngine::setError(const QString& method, const QString& code, const QString& message,
                          const QString& field, const QJsonArray& errors) {
  setHandler(method, [=](const QJsonObject&) { return error(code, message, field, errors); });
}

void FakeEngine::setSilent(const QString& method, bool silent) {
  if (silent) {
    silent_.insert(method);
  } else {
    silent_.remove(method);
  }
}

QList<QJsonObject> FakeEngine::requestsFor(const QString& method) const {
  QList<QJsonObject> found;
  for (const QJsonObject& request : requests_) {
    if (request.value(QLatin1String("method")).toString() == method) {
      found.append(request);
    }
  }
  return found;
}

QJsonObject FakeEngine::lastRequest(const QString& method) const {
  const QList<QJsonObject> found = requestsFor(method);
  return found.isEmpty() ? QJsonObject() : found.last();
}

int FakeEngine::clientCount() const {
  int count = 0;
  for (const Client& client : clients_) {
    count += client.socket && client.socket->state() == QLocalSocket::ConnectedState ? 1 : 0;
  }
  return count;
}

int FakeEngine::subscribedCount() const {
  int count = 0;
  for (const Client& client : clients_) {
    count += client.socket && client.subscribed ? 1 : 0;
  }
  return count;
}

void FakeEngine::dropClients() {
  QList<Client> clients;
  clients.swap(clients_);
  for (Client& client : clients) {
    if (client.socket) {
      client.socket->abort();
      client.socket->deleteLater();
    }
  }
}

void FakeEngine::closeClients() {
  for (Client& client : clients_) {
    if (client.socket) {
      client.socket->disconnectFromServer();
    }
  }
}

void FakeEngine::sendRaw(const QByteArray& bytes) {
  for (Client& client : clients_) {
    if (client.socket) {
      client.socket->write(bytes);
    }
  }
}

void FakeEngine::sendStats(const QJsonObject& snapshot) {
  const QJsonObject event{{QStringLiteral("event"), QStringLiteral("stats")},
                          {QStringLiteral("data"), snapshot}};
  for (Client& client : clients_) {
    if (client.socket && client.subscribed) {
      write(client.socket, event);
    }
  }
}

void FakeEngine::startStreaming(double per_second) {
  if (stream_time_ms_ == 0) {
    stream_time_ms_ = QDateTime::currentMSecsSinceEpoch();
  }
  stream_timer_.start(static_cast<int>(1000 / per_second));
}

void FakeEngine::stopStreaming() {
  stream_timer_.stop();
}

void FakeEngine::onNewConnection() {
  while (QLocalSocket* socket = server_.nextPendingConnection()) {
    socket->setParent(this);
    clients_.append({socket, false});
    connect(socket, &QLocalSocket::readyRead, this, [this, socket]() { onReadyRead(socket); });
    connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
    emit clientConnected();
  }
}

void FakeEngine::onReadyRead(QLocalSocket* socket) {
  while (socket->canReadLine()) {
    const QByteArray line = socket->readLine();
    const QJsonDocument document = QJsonDocument::fromJson(line);
    if (!document.isObject()) {
      QJsonObject refusal = error(QStringLiteral("bad_request"), QStringLiteral("not a JSON object"));
      refusal.insert(QStringLiteral("id"), QJsonValue());
      write(socket, refusal);
      continue;
    }
    handle(socket, document.object());
  }
}

void FakeEngine::handle(QLocalSocket* socket, const QJsonObject& request) {
  requests_.append(request);
  emit requestReceived(request);
  const QString method = request.value(QLatin1String("method")).toString();
  if (silent_.contains(method)) {
    return;
  }
  QJsonObject reply = answer(socket, request);
  reply.insert(QStringLiteral("id"), request.value(QLatin1String("id")));
  write(socket, reply);
}

QJsonObject FakeEngine::answer(QLocalSocket* socket, const QJsonObject& request) {
  const QString method = request.value(QLatin1String("method")).toString();
  const QJsonObject params = request.value(QLatin1String("params")).toObject();
  if (const auto it = handlers_.constFind(method); it != handlers_.cend()) {
    return (*it)(request);
  }
  if (method == QLatin1String("hello")) {
    return result({{"version", "0.1.0-fake"},
                   {"node", "fake-node"},
                   {"pid", 4242},
                   {"uptime_s", 12.5},
                   {"config_version", version_},
                   {"config_source", "/tmp/fake.yaml"},
                   {"persisted", true},
                   {"peer_uid", 1000}});
  }
  if (method == QLatin1String("stats.subscribe") || method == QLatin1String("stats.unsubscribe")) {
    const bool on = method == QLatin1String("stats.subscribe");
    for (Client& client : clients_) {
      if (client.socket == socket) {
        client.subscribed = on;
      }
    }
    return result({{"subscribed", on}});
  }
  if (method == QLatin1String("stats.history")) {
    QJsonArray snapshots;
    for (const QJsonObject& snapshot : history) {
      snapshots.append(snapshot);
    }
    return result({{"snapshots", snapshots}});
  }
  if (method == QLatin1String("stats.get")) {
    return result(makeSnapshot(QDateTime::currentMSecsSinceEpoch()));
  }
  if (method == QLatin1String("rate_limits.list")) {
    return result(policyList(rate_limits_, QStringLiteral("rate_limits")));
  }
  if (method == QLatin1String("cache_policies.list")) {
    return result(policyList(cache_policies_, QStringLiteral("cache")));
  }
  if (method == QLatin1String("rate_limits.set")) {
    return setPolicy(rate_limits_, params);
  }
  if (method == QLatin1String("cache_policies.set")) {
    return setPolicy(cache_policies_, params);
  }
  if (method == QLatin1String("rate_limits.delete")) {
    return deletePolicy(rate_limits_, params);
  }
  if (method == QLatin1String("cache_policies.delete")) {
    return deletePolicy(cache_policies_, params);
  }
  if (method == QLatin1String("routes.list")) {
    return result({{"routes", routes_}});
  }
  if (method == QLatin1String("upstreams.list")) {
    return result({{"upstreams", upstreams_}});
  }
  if (method == QLatin1String("upstreams.drain") || method == QLatin1String("upstreams.undrain")) {
    return result({{"drained", method == QLatin1String("upstreams.drain")}});
  }
  if (method == QLatin1String("cache.purge")) {
    return result({{"purged", params.contains(QLatin1String("all")) ? 42 : 3}});
  }
  return error(QStringLiteral("not_found"), QStringLiteral("unknown method '%1'").arg(method));
}

QJsonObject FakeEngine::policyList(const QJsonArray& policies, const QString& route_key) const {
  QJsonArray listed;
  for (const QJsonValue& value : policies) {
    QJsonObject policy = value.toObject();
    const QString name = policy.value(QLatin1String("name")).toString();
    QJsonArray users;
    for (const QJsonValue& route_value : routes_) {
      const QJsonObject route = route_value.toObject();
      const QJsonValue uses = route.value(route_key);
      if ((uses.isString() && uses.toString() == name) || (uses.isArray() && uses.toArray().contains(name))) {
        users.append(route.value(QLatin1String("name")));
      }
    }
    policy.insert(QStringLiteral("routes"), users);
    listed.append(policy);
  }
  return {{"version", version_}, {"policies", listed}};
}

QJsonObject FakeEngine::setPolicy(QJsonArray& policies, const QJsonObject& params) {
  if (static_cast<qint64>(params.value(QLatin1String("base_version")).toDouble(-1)) != version_) {
    return error(QStringLiteral("conflict"), QStringLiteral("config version is %1").arg(version_));
  }
  const QJsonObject policy = params.value(QLatin1String("policy")).toObject();
  const QString name = policy.value(QLatin1String("name")).toString();
  bool created = true;
  for (int i = 0; i < policies.size(); ++i) {
    if (policies.at(i).toObject().value(QLatin1String("name")).toString() == name) {
      policies.replace(i, policy);
      created = false;
    }
  }
  if (created) {
    policies.append(policy);
  }
  ++version_;
  return result({{"version", version_}, {"created", created}, {"persisted", true}});
}

QJsonObject FakeEngine::deletePolicy(QJsonArray& policies, const QJsonObject& params) {
  if (static_cast<qint64>(params.value(QLatin1String("base_version")).toDouble(-1)) != version_) {
    return error(QStringLiteral("conflict"), QStringLiteral("config version is %1").arg(version_));
  }
  const QString name = params.value(QLatin1String("name")).toString();
  for (int i = 0; i < policies.size(); ++i) {
    if (policies.at(i).toObject().value(QLatin1String("name")).toString() == name) {
      policies.removeAt(i);
      ++version_;
      return result({{"version", version_}, {"persisted", true}});
    }
  }
  return error(QStringLiteral("not_found"), QStringLiteral("no policy '%1'").arg(name));
}

void FakeEngine::write(QLocalSocket* socket, const QJsonObject& message) {
  socket->write(QJsonDocument(message).toJson(QJsonDocument::Compact) + '\n');
}

QJsonObject makeSnapshot(qint64 time_ms, double rps) {
  const auto traffic = [](double rate, double latency_scale) {
    return QJsonObject{{"requests_per_s", rate},
                       {"by_status", QJsonObject{{"1xx", 0},
                                                 {"2xx", rate * 0.90},
                                                 {"3xx", rate * 0.05},
                                                 {"4xx", rate * 0.04},
                                                 {"5xx", rate * 0.01},
                                                 {"aborted", 0}}},
                       {"bytes_in_per_s", rate * 300},
                       {"bytes_out_per_s", rate * 2048},
                       {"latency_ms", QJsonObject{{"p50", 0.4 * latency_scale},
                                                  {"p90", 0.9 * latency_scale},
                                                  {"p95", 1.2 * latency_scale},
                                                  {"p99", 3.1 * latency_scale},
                                                  {"p999", 9.8 * latency_scale},
                                                  {"mean", 0.5},
                                                  {"samples", rate}}}};
  };
  QJsonObject totals = traffic(rps, 1.0);
  totals.insert(QStringLiteral("connections_active"), 64);
  const QJsonObject api = [&]() {
    QJsonObject route = traffic(rps * 0.75, 1.5);
    route.insert(QStringLiteral("name"), QStringLiteral("api"));
    return route;
  }();
  const QJsonObject static_route = [&]() {
    QJsonObject route = traffic(rps * 0.25, 0.5);
    route.insert(QStringLiteral("name"), QStringLiteral("static"));
    return route;
  }();
  return QJsonObject{
      {"time", QDateTime::fromMSecsSinceEpoch(time_ms, Qt::UTC).toString(Qt::ISODateWithMs)},
      {"time_unix_ms", static_cast<double>(time_ms)},
      {"interval_s", 1.0},
      {"totals", totals},
      {"routes", QJsonArray{api, static_route}},
      {"upstreams", QJsonArray{QJsonObject{{"name", "api/127.0.0.1:9001"},
                                           {"requests_per_s", rps / 2},
                                           {"requests_total", 5000},
                                           {"failures_total", 0},
                                           {"down", false},
                                           {"drained", false}}}},
      {"rate_limits", QJsonArray{QJsonObject{
                          {"name", "per_ip"}, {"allowed_per_s", rps * 0.9}, {"limited_per_s", rps * 0.1}}}},
      {"cache",
       QJsonObject{{"entries", 1200},
                   {"policies", QJsonArray{QJsonObject{{"name", "short"},
                                                       {"hit_ratio", 0.9},
                                                       {"per_s", QJsonObject{{"hits", rps * 0.6},
                                                                             {"misses", rps * 0.1},
                                                                             {"stale", rps * 0.05}}}}}}}},
      {"process", QJsonObject{{"cpu_percent", 12.5}, {"rss_bytes", 73400320}}}};
}

}  // namespace sluice::console::test
