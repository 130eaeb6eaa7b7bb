#include "console/client/control_client.h"

#include <QJsonDocument>
#include <QJsonValue>

namespace sluice::console {

namespace {
constexpr qint64 kReadChunk = 64 * 1024;
constexpr int kTimeoutTickMs = 100;
}  // namespace

ControlClient::ControlClient(QObject* parent) : ControlClient(Options{}, parent) {}

ControlClient::ControlClient(const Options& options, QObject* parent)
    : ControlConnection(parent),
      options_(options),
      socket_(new QLocalSocket(this)),
      framer_(options.max_line),
      backoff_(options.backoff_initial_ms, options.backoff_max_ms) {
  disconnected_since_ = QDateTime::currentDateTime();
  reconnect_timer_.setSingleShot(true);
  connect(&reconnect_timer_, &QTimer::timeout, this, &ControlClient::startAttempt);
  timeout_timer_.setInterval(kTimeoutTickMs);
  connect(&timeout_timer_, &QTimer::timeout, this, &ControlClient::checkTimeouts);
  connect(socket_, &QLocalSocket::connected, this, &ControlClient::onConnected);
  connect(socket_, &QLocalSocket::readyRead, this, &ControlClient::onReadyRead);
  connect(socket_, &QLocalSocket::disconnected, this, &ControlClient::onSocketGone);
  connect(socket_, &QLocalSocket::errorOccurred, this, [this](QLocalSocket::LocalSocketError error) {
    if (attempt_over_) {
      return;  // our own abort(), or a loss already handled
    }
    if (error == QLocalSocket::PeerClosedError) {
      noteError(tr("the node closed the connection"));
    } else {
      noteError(tr("connect %1: %2").arg(path_, socket_->errorString()));
    }
    onSocketGone();
  });
}

ControlClient::~ControlClient() {
  // Handlers must not run during destruction: their contexts may be half gone.
  pending_.clear();
  socket_->disconnect(this);
  socket_->abort();
}

void ControlClient::connectTo(const QString& path) {
  path_ = path;
  wanted_ = true;
  backoff_.reset();
  reconnect_timer_.stop();
  startAttempt();
}

void ControlClient::disconnectFromNode() {
  wanted_ = false;
  reconnect_timer_.stop();
  ++generation_;
  attempt_over_ = true;
  socket_->abort();
  failAll(QStringLiteral("disconnected"), tr("disconnected from the node"));
  if (state_ == State::Connected) {
    disconnected_since_ = QDateTime::currentDateTime();
  }
  setState(State::Disconnected);
}

void ControlClient::startAttempt() {
  ++generation_;
  attempt_over_ = true;  // the abort below is not a loss to handle
  socket_->abort();
  failAll(QStringLiteral("disconnected"), tr("reconnecting"));
  framer_.clear();
  attempt_over_ = false;
  setState(State::Connecting);
  socket_->connectToServer(path_);  // may report an error synchronously: onSocketGone copes
}

void ControlClient::onConnected() {
  const quint64 generation = generation_;
  request(QStringLiteral("hello"), {}, this, [this, generation](const ControlReply& reply) {
    if (generation == generation_) {
      afterHello(reply);
    }
  });
}

void ControlClient::afterHello(const ControlReply& reply) {
  if (!reply.ok) {
    noteError(tr("hello: %1").arg(reply.describe()));
    socket_->abort();
    onSocketGone();
    return;
  }
  hello_ = reply.result;
  backoff_.reset();
  last_error_.clear();
  disconnected_since_ = QDateTime();
  setState(State::Connected);
  emit helloReceived(hello_);
  if (!options_.subscribe_stats) {
    return;
  }
  const quint64 generation = generation_;
  request(QStringLiteral("stats.subscribe"), {}, this, [this](const ControlReply& sub) {
    if (!sub.ok) {
      noteError(tr("stats.subscribe: %1").arg(sub.describe()));
    }
  });
  request(QStringLiteral("stats.history"), {{QStringLiteral("seconds"), options_.history_seconds}}, this,
          [this, generation](const ControlReply& history) {
            if (generation != generation_ || !history.ok) {
              return;
            }
            QList<QJsonObject> snapshots;
            const QJsonArray list = history.result.value(QLatin1String("snapshots")).toArray();
            snapshots.reserve(list.size());
            for (const QJsonValue& snapshot : list) {
              if (snapshot.isObject()) {
                snapshots.append(snapshot.toObject());
              }
            }
            emit historyReceived(snapshots);
          });
}

void ControlClient::request(const QString& method, const QJsonObject& params, QObject* context,
                            ReplyHandler handler) {
  const qint64 id = next_id_++;
  Pending pending{method, QPointer<QObject>(context), context != nullptr, std::move(handler),
                  QDeadlineTimer(options_.reply_timeout_ms)};
  const bool open = socket_->state() == QLocalSocket::ConnectedState;
  if (!open || pending_.size() >= options_.max_pending) {
    const ControlReply reply =
        open ? ControlReply::failure(QStringLiteral("busy"), tr("too many requests waiting for the node"))
             : ControlReply::failure(QStringLiteral("not_connected"), tr("not connected to a node"));
    // Keep the promise that handlers never run inside request().
    QTimer::singleShot(0, this, [pending = std::move(pending), reply]() {
      if (!pending.has_context || pending.context) {
        pending.handler(reply);
      }
    });
    return;
  }
  QJsonObject message{{QStringLiteral("id"), id}, {QStringLiteral("method"), method}};
  if (!params.isEmpty()) {
    message.insert(QStringLiteral("params"), params);
  }
  pending_.insert(id, std::move(pending));
  if (!timeout_timer_.isActive()) {
    timeout_timer_.start();
  }
  socket_->write(QJsonDocument(message).toJson(QJsonDocument::Compact) + '\n');
}

void ControlClient::sendRaw(const QByteArray& line) {
  if (socket_->state() == QLocalSocket::ConnectedState) {
    socket_->write(line);
  }
}

void ControlClient::onReadyRead() {
  const quint64 generation = generation_;
  char chunk[kReadChunk];
  while (generation == generation_ && socket_->bytesAvailable() > 0) {
    const qint64 n = socket_->read(chunk, sizeof chunk);
    if (n <= 0) {
      break;
    }
    framer_.feed(
        QByteArrayView(chunk, n),
        [this, generation](const QByteArray& line) {
          if (generation == generation_) {
            handleLine(line);
          }
        },
        [this](qsizetype bytes) {
          noteError(
              tr("dropped a line from the node over %1 bytes (%2 so far)").arg(framer_.maxLine()).arg(bytes));
        });
  }
}

void ControlClient::handleLine(const QByteArray& line) {
  QJsonParseError error{};
  const QJsonDocument document = QJsonDocument::fromJson(line, &error);
  if (error.error != QJsonParseError::NoError || !document.isObject()) {
    noteError(tr("the node sent a line that is not a JSON object"));
    return;
  }
  const QJsonObject message = document.object();
  const QJsonValue event = message.value(QLatin1String("event"));
  if (event.isString()) {
    if (event.toString() == QLatin1String("stats")) {
      const QJsonValue data = message.value(QLatin1String("data"));
      if (data.isObject()) {
        emit statsReceived(data.toObject());
      }
    }
    return;  // events we do not know are ignored, as the protocol asks
  }
  handleReply(message);
}

void ControlClient::handleReply(const QJsonObject& message) {
  const QJsonValue id = message.value(QLatin1String("id"));
  const QJsonValue error = message.value(QLatin1String("error"));
  // Our ids are whole numbers: an id that is not one (null when the node refuses the connection or a
  // line; 1.5 or 1e300 from something else on the socket) matches no request.
  const qint64 key = id.toInteger(-1);
  if (key < 0) {
    if (error.isObject()) {
      noteError(ControlReply::fromError(error.toObject()).describe());
    }
    return;
  }
  if (error.isObject()) {
    finish(key, ControlReply::fromError(error.toObject()));
  } else {
    finish(key, ControlReply::success(message.value(QLatin1String("result")).toObject()));
  }
}

void ControlClient::finish(qint64 id, const ControlReply& reply) {
  auto it = pending_.find(id);
  if (it == pending_.end()) {
    return;  // timed out earlier, or not ours
  }
  Pending pending = std::move(it.value());
  pending_.erase(it);
  if (pending_.isEmpty()) {
    timeout_timer_.stop();
  }
  if (!pending.has_context || pending.context) {
    pending.handler(reply);
  }
}

void ControlClient::failAll(const QString& code, const QString& message) {
  if (pending_.isEmpty()) {
    return;
  }
  QHash<qint64, Pending> failed;
  failed.swap(pending_);
  timeout_timer_.stop();
  for (Pending& pending : failed) {
    if (!pending.has_context || pending.context) {
      pending.handler(ControlReply::failure(code, message));
    }
  }
}

void ControlClient::checkTimeouts() {
  QList<qint64> expired;
  for (auto it = pending_.cbegin(); it != pending_.cend(); ++it) {
    if (it->deadline.hasExpired()) {
      expired.append(it.key());
    }
  }
  for (qint64 id : expired) {
    const auto it = pending_.constFind(id);
    if (it != pending_.cend()) {
      const QString method = it->method;
      finish(id, ControlReply::failure(
                     QStringLiteral("timeout"),
                     tr("no reply to %1 within %2 s").arg(method).arg(options_.reply_timeout_ms / 1000.0)));
    }
  }
}

void ControlClient::onSocketGone() {
  if (attempt_over_) {
    return;  // disconnected and errorOccurred both report one loss
  }
  attempt_over_ = true;
  ++generation_;
  failAll(QStringLiteral("disconnected"), tr("the connection to the node was lost"));
  if (state_ == State::Connected || !disconnected_since_.isValid()) {
    disconnected_since_ = QDateTime::currentDateTime();
  }
  setState(State::Disconnected);
  if (wanted_) {
    last_delay_ms_ = backoff_.next();
    ++reconnects_;
    reconnect_timer_.start(last_delay_ms_);
  }
}

void ControlClient::setState(State state) {
  if (state_ != state) {
    state_ = state;
    emit stateChanged(state);
  }
}

void ControlClient::noteError(const QString& message) {
  last_error_ = message;
  emit errorOccurred(message);
}

}  // namespace sluice::console
