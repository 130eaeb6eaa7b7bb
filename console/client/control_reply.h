#pragma once
// One answer to a control request (docs/control-protocol.md, "Envelope"). Besides the node's error
// codes (bad_request, not_found, conflict, invalid, forbidden, internal) the client makes three of
// its own: "timeout" (no reply in time), "disconnected" (the connection went while waiting) and
// "not_connected" (the request could not be sent). A plain value type, used on the GUI thread.

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace sluice::console {

struct ControlReply {
  bool ok = false;
  QJsonObject result;  // when ok
  QString code;        // when not ok
  QString message;
  QString field;      // config errors: "rate_limits[0].window"; empty otherwise
  QJsonArray errors;  // invalid: [{"field", "line", "message"}, ...]

  static ControlReply success(QJsonObject result) {
    ControlReply reply;
    reply.ok = true;
    reply.result = std::move(result);
    return reply;
  }
  static ControlReply failure(QString code, QString message) {
    ControlReply reply;
    reply.code = std::move(code);
    reply.message = std::move(message);
    return reply;
  }
  // Reads the "error" object of a reply line.
  static ControlReply fromError(const QJsonObject& error) {
    ControlReply reply;
    reply.code = error.value(QLatin1String("code")).toString(QStringLiteral("internal"));
    reply.message = error.value(QLatin1String("message")).toString();
    reply.field = error.value(QLatin1String("field")).toString();
    reply.errors = error.value(QLatin1String("errors")).toArray();
    return reply;
  }
  // "code: message", for logs and status lines.
  QString describe() const { return message.isEmpty() ? code : code + QStringLiteral(": ") + message; }
};

}  // namespace sluice::console
