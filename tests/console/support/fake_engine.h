#pragma once
// A node's control socket inside the test process (QLocalServer in a private temp dir) that speaks
// docs/control-protocol.md well enough for the console: it answers hello, *.list, *.set,
// *.delete, routes.list, upstreams.*, cache.purge and stats.* from a small in-memory config (with a
// version that grows on each edit and `conflict` on a stale base_version), records every request,
// streams stats events at any rate, and can be scripted: a canned result or error per method,
// silence (for timeouts), raw bytes, dropped connections. Test thread only.

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QLocalServer>
#include <QLocalSocket>
#include <QObject>
#include <QPointer>
#include <QTemporaryDir>
#include <QTimer>
#include <functional>

namespace sluice::console::test {

class FakeEngine : public QObject {
  Q_OBJECT

 public:
  // Returns the reply's body: {"result": {...}} or {"error": {...}}; the id is added.
  using Handler = std::function<QJsonObject(const QJsonObject& request)>;

  explicit FakeEngine(QObject* parent = nullptr);
  ~FakeEngine() override;

  bool listen();         // at path(); true when listening
  void stopListening();  // closes the server (clients stay)
  QString path() const { return path_; }

  void setHandler(const QString& method, Handler handler);
  void setResult(const QString& method, const QJsonObject& result);
  void setError(const QString& method, const QString& code, const QString& message, const QString& field = {},
                const QJsonArray& errors = {});
  void setSilent(const QString& method, bool silent = true);  // never answers this method

  QList<QJsonObject> requests() const { return requests_; }
  QList<QJsonObject> requestsFor(const QString& method) const;
  QJsonObject lastRequest(const QString& method) const;
  void clearRequests() { requests_.clear(); }

  int clientCount() const;
  int subscribedCount() const;
  void dropClients();                           // aborts every connection (unsent bytes are lost)
  void closeClients();                          // closes every connection once its bytes are sent
  void sendRaw(const QByteArray& bytes);        // to every client, as is
  void sendStats(const QJsonObject& snapshot);  // an event to subscribed clients
  // Sends a snapshot (from makeSnapshot) every 1000/per_second ms, with times 1 s apart.
  void startStreaming(double per_second);
  void stopStreaming();
  int streamed() const { return streamed_; }

  // The in-memory config.
  qint64 configVersion() const { return version_; }
  void setConfigVersion(qint64 version) { version_ = version; }
  QJsonArray& rateLimits() { return rate_limits_; }
  QJsonArray& cachePolicies() { return cache_policies_; }
  QList<QJsonObject> history;  // what stats.history answers

 signals:
  void requestReceived(const QJsonObject& request);
  void clientConnected();

 private:
  struct Client {
    QPointer<QLocalSocket> socket;
    bool subscribed = false;
  };

  void onNewConnection();
  void onReadyRead(QLocalSocket* socket);
  void handle(QLocalSocket* socket, const QJsonObject& request);
  QJsonObject answer(QLocalSocket* socket, const QJsonObject& request);
  QJsonObject policyList(const QJsonArray& policies, const QString& route_key) const;
  QJsonObject setPolicy(QJsonArray& policies, const QJsonObject& params);
  QJsonObject deletePolicy(QJsonArray& policies, const QJsonObject& params);
  void write(QLocalSocket* socket, const QJsonObject& message);

  QTemporaryDir dir_;
  QString path_;
  QLocalServer server_;
  QList<Client> clients_;
  QHash<QString, Handler> handlers_;
  QSet<QString> silent_;
  QList<QJsonObject> requests_;
  QTimer stream_timer_;
  qint64 stream_time_ms_ = 0;
  int streamed_ = 0;
  qint64 version_ = 7;
  QJsonArray rate_limits_;
  QJsonArray cache_policies_;
  QJsonArray routes_;
  QJsonArray upstreams_;
};

// A stats snapshot as the node sends it, with `rps` requests/s split 90/5/4/1 % over 2xx..5xx, for
// the routes "api" and "static"; `time_ms` is its time_unix_ms.
QJsonObject makeSnapshot(qint64 time_ms, double rps = 100.0);

}  // namespace sluice::console::test
