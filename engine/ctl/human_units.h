#pragma once
// Numbers for people in `sluice ctl` output: bytes in binary units ("5.0 MiB"), rates and counts
// with SI suffixes ("1.52k"), milliseconds and percentages with sensible precision.

#include <cstdint>
#include <string>

namespace sluice::ctl {

std::string formatBytes(double bytes);       // "512 B", "1.5 KiB", "5.0 MiB", "1.00 GiB"
std::string formatCount(double value);       // "0", "999", "1.52k", "12.3M" (rates and totals)
std::string formatMs(double ms);             // "0.40", "12.3", "1204"
std::string formatPercent(double fraction);  // 0.931 -> "93.1%"
std::string formatSeconds(double seconds);   // 5123.4 -> "1h25m23s"

}  // namespace sluice::ctl
