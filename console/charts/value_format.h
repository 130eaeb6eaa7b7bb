#pragma once
// Numbers as the charts and tiles write them: "1.5k", "12 ms", "93.4 %", "1.2 MiB/s". Plain
// functions, any thread.

#include <QString>

namespace sluice::console {

QString formatCount(double value);         // 0.35, 12, 1.5k, 2.3M
QString formatMilliseconds(double value);  // 0.42 ms, 12 ms, 1.2 s
QString formatPercent(double ratio);       // 0..1 → "93.4 %"
QString formatBytesPerSecond(double value);

}  // namespace sluice::console
