#pragma once
// What the console's pages need from a node: requests with asynchronous replies, the stats stream
// and the connection state. ControlClient is the real implementation (a QLocalSocket); tests may fake
// it. Injected into every widget that talks to the node, never a global. GUI thread only.

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <functional>

#include "console/client/control_reply.h"

namespace sluice::console {

class ControlConnection : public QObject {
  Q_OBJECT

 public:
  enum class State { Disconnected, Connecting, Connected };
  Q_ENUM(State)
  using ReplyHandler = std::function<void(const ControlReply&)>;

  using QObject::QObject;
  ~ControlConnection() override = default;

  virtual State state() const = 0;
  // When the connection was lost (or the first attempt began); invalid while Connected.
  virtual QDateTime disconnectedSince() const = 0;
  // The newest `hello` result (version, node, config_version, ...); empty before the first.
  virtual QJsonObject helloInfo() const = 0;
  virtual QString socketPath() const = 0;
  // The last connection problem in words ("connect: no such socket", "forbidden: ..."); empty if none.
  virtual QString lastError() const = 0;
  // Drops the current connection (if any) and connects to `path`, retrying with backoff.
  virtual void connectTo(const QString& path) = 0;

  // Sends one request. `handler` runs exactly once, later (never inside this call), with the reply,
  // a timeout or a disconnect, unless `context` has been destroyed by then (then it never runs).
  virtual void request(const QString& method, const QJsonObject& params, QObject* context,
                       ReplyHandler handler) = 0;

 signals:
  void stateChanged(sluice::console::ControlConnection::State state);
  void helloReceived(const QJsonObject& hello);
  // One `stats` event (the snapshot of docs/control-protocol.md), about once a second.
  void statsReceived(const QJsonObject& snapshot);
  // After each (re)connect: the node's kept snapshots, oldest first.
  void historyReceived(const QList<QJsonObject>& snapshots);
  void errorOccurred(const QString& message);
};

}  // namespace sluice::console
