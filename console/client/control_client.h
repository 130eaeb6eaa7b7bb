#pragma once
// The console's connection to a node's control socket (docs/control-protocol.md): a QLocalSocket
// used asynchronously only (never waitFor*), NDJSON lines with a bounded read buffer, numbered
// requests matched to their replies, reply timeouts, and reconnects with backoff (0.5 s → 10 s with
// jitter). After each connect it sends `hello`, then (when stats are wanted) `stats.subscribe` and
// `stats.history`, so a console that lost its node catches up by itself.
//
// Owns the socket and its timers. Lives on the GUI thread, like everything in the console.
//
// Limits: a reply or event line longer than `max_line` (64 MiB) is dropped (errorOccurred; the
// request it answered times out); at most `max_pending` (1024) requests wait for replies, more are
// refused at once with "not_connected"-style code "busy". Writes go to QLocalSocket's own buffer,
// which is bounded by the pending limit times the size of a request.

#include <QDeadlineTimer>
#include <QHash>
#include <QLocalSocket>
#include <QPointer>
#include <QTimer>

#include "console/client/control_connection.h"
#include "console/client/line_framer.h"
#include "console/client/reconnect_backoff.h"

namespace sluice::console {

class ControlClient : public ControlConnection {
  Q_OBJECT

 public:
  struct Options {
    int reply_timeout_ms = 10000;
    qsizetype max_line = qsizetype{64} << 20;
    int max_pending = 1024;
    int backoff_initial_ms = 500;
    int backoff_max_ms = 10000;
    bool subscribe_stats = true;  // stats.subscribe + stats.history after each connect
    int history_seconds = 900;
  };

  explicit ControlClient(QObject* parent = nullptr);
  ControlClient(const Options& options, QObject* parent = nullptr);
  ~ControlClient() override;

  State state() const override { return state_; }
  QDateTime disconnectedSince() const override { return disconnected_since_; }
  QJsonObject helloInfo() const override { return hello_; }
  QString socketPath() const override { return path_; }
  QString lastError() const override { return last_error_; }
  void connectTo(const QString& path) override;
  void request(const QString& method, const QJsonObject& params, QObject* context,
               ReplyHandler handler) override;

  // Closes the connection and stops reconnecting (pending requests fail with "disconnected").
  void disconnectFromNode();
  // Sends `line` as is (tests: protocol edge cases). Nothing is matched to it.
  void sendRaw(const QByteArray& line);

  int pendingCount() const { return static_cast<int>(pending_.size()); }
  int lastReconnectDelayMs() const { return last_delay_ms_; }
  int reconnectCount() const { return reconnects_; }

 private:
  struct Pending {
    QString method;
    QPointer<QObject> context;
    bool has_context = false;
    ReplyHandler handler;
    QDeadlineTimer deadline;
  };

  void startAttempt();
  void onConnected();
  void onReadyRead();
  void onSocketGone();
  void handleLine(const QByteArray& line);
  void handleReply(const QJsonObject& message);
  void finish(qint64 id, const ControlReply& reply);
  void failAll(const QString& code, const QString& message);
  void checkTimeouts();
  void setState(State state);
  void noteError(const QString& message);
  void afterHello(const ControlReply& reply);

  Options options_;
  QLocalSocket* socket_;
  QTimer reconnect_timer_;
  QTimer timeout_timer_;
  LineFramer framer_;
  ReconnectBackoff backoff_;
  QString path_;
  bool wanted_ = false;       // connectTo() was called and disconnectFromNode() was not
  bool attempt_over_ = true;  // the current attempt's loss has been handled
  quint64 generation_ = 0;    // grows with every attempt: stale work checks it
  State state_ = State::Disconnected;
  QDateTime disconnected_since_;
  QJsonObject hello_;
  QString last_error_;
  qint64 next_id_ = 1;
  QHash<qint64, Pending> pending_;
  int last_delay_ms_ = 0;
  int reconnects_ = 0;
};

}  // namespace sluice::console
