#include "console/models/json_text.h"

#include <QJsonArray>
#include <QStringList>
#include <limits>

namespace sluice::console {

QString jsonText(const QJsonValue& value) {
  switch (value.type()) {
    case QJsonValue::Bool:
      return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
      // Whole numbers print without a decimal point ("100", not "100.0"); toInteger() says which
      // are whole and in range (casting a huge double to an integer would be undefined).
      const double number = value.toDouble();
      const qint64 whole = value.toInteger(std::numeric_limits<qint64>::min());
      if (whole != std::numeric_limits<qint64>::min()) {
        return QString::number(whole);
      }
      return QString::number(number, 'g', 15);
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
