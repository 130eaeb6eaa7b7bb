#include "console/models/json_text.h"

#include <QJsonArray>
#include <QStringList>

namespace sluice::console {

QString jsonText(const QJsonValue& value) {
  switch (value.type()) {
    case QJsonValue::Bool:
      return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
      const double number = value.toDouble();
      if (number == static_cast<double>(static_cast<qint64>(number))) {
        return QString::number(static_cast<qint64>(number));
      }
      return QString::number(number);
    }
    case QJsonValue::String:
      return value.toString();
    case QJsonValue::Array: {
      QStringList parts;
      for (const QJsonValue& item : value.toArray()) {
        parts.append(jsonText(item));
      }
      return parts.join(QStringLiteral(", "));
    }
    default:
      return {};
  }
}

QJsonValue jsonFromText(const QString& text, bool integer, bool boolean) {
  const QString trimmed = text.trimmed();
  if (integer) {
    bool ok = false;
    const qlonglong number = trimmed.toLongLong(&ok);
    if (ok) {
      return QJsonValue(static_cast<double>(number));
    }
  }
  if (boolean && (trimmed == QLatin1String("true") || trimmed == QLatin1String("false"))) {
    return QJsonValue(trimmed == QLatin1String("true"));
  }
  return QJsonValue(trimmed);
}

}  // namespace sluice::console
