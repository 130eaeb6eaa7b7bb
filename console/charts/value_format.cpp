#include "console/charts/value_format.h"

#include <cmath>

namespace sluice::console {

QString formatCount(double value) {
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e9) {
    return QString::number(value / 1e9, 'f', 1) + QLatin1Char('G');
  }
  if (magnitude >= 1e6) {
    return QString::number(value / 1e6, 'f', 1) + QLatin1Char('M');
  }
  if (magnitude >= 1e4) {
    return QString::number(value / 1e3, 'f', 1) + QLatin1Char('k');
  }
  if (magnitude >= 100 || value == std::floor(value)) {
    return QString::number(value, 'f', 0);
  }
  return QString::number(value, 'f', magnitude >= 10 ? 1 : 2);
}

QString formatMilliseconds(double value) {
  if (value >= 1000) {
    return QString::number(value / 1000, 'f', 2) + QStringLiteral(" s");
  }
  if (value >= 10) {
    return QString::number(value, 'f', 0) + QStringLiteral(" ms");
  }
  return QString::number(value, 'f', 2) + QStringLiteral(" ms");
}

QString formatPercent(double ratio) {
  return QString::number(ratio * 100, 'f', 1) + QStringLiteral(" %");
}

QString formatBytesPerSecond(double value) {
  static const char* const units[] = {"B/s", "KiB/s", "MiB/s", "GiB/s"};
  int unit = 0;
  while (value >= 1024 && unit < 3) {
    value /= 1024;
    ++unit;
  }
  return QString::number(value, 'f', unit == 0 ? 0 : 1) + QLatin1Char(' ') + QLatin1String(units[unit]);
}

}  // namespace sluice::console
