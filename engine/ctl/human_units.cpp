#include "engine/ctl/human_units.h"

#include <fmt/format.h>

#include <cmath>

namespace sluice::ctl {
namespace {

// Three significant digits at most ("1.52", "15.2", "152").
std::string threeDigits(double v) {
  if (v < 10) {
    return fmt::format("{:.2f}", v);
  }
  if (v < 100) {
    return fmt::format("{:.1f}", v);
  }
  return fmt::format("{:.0f}", v);
}

}  // namespace

std::string formatBytes(double bytes) {
  if (!(bytes >= 0)) {
    return "0 B";
  }
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  size_t unit = 0;
  while (bytes >= 1024 && unit + 1 < std::size(kUnits)) {
    bytes /= 1024;
    ++unit;
  }
  if (unit == 0) {
    return fmt::format("{:.0f} B", bytes);
  }
  // Rounding may reach 1024.0 (e.g. 1023.99 KiB): say 1024, that is still exact enough.
  return fmt::format("{} {}", threeDigits(bytes), kUnits[unit]);
}

std::string formatCount(double value) {
  if (!(value > 0)) {
    return "0";
  }
  if (value < 1000) {
    // Whole numbers stay whole; small rates keep a decimal ("0.5").
    if (value == std::floor(value)) {
      return fmt::format("{:.0f}", value);
    }
    return value < 100 ? fmt::format("{:.1f}", value) : fmt::format("{:.0f}", value);
  }
  static constexpr const char* kSuffix[] = {"", "k", "M", "G", "T", "P"};
  size_t s = 0;
  while (value >= 1000 && s + 1 < std::size(kSuffix)) {
    value /= 1000;
    ++s;
  }
  return threeDigits(value) + kSuffix[s];
}

std::string formatMs(double ms) {
  if (!(ms > 0)) {
    return "0";
  }
  if (ms < 10) {
    return fmt::format("{:.2f}", ms);
  }
  if (ms < 100) {
    return fmt::format("{:.1f}", ms);
  }
  return fmt::format("{:.0f}", ms);
}

std::string formatPercent(double fraction) {
  if (!(fraction > 0)) {
    return "0%";
  }
  const double p = fraction * 100;
  if (p >= 99.95 && p < 100) {
    return "99.9%";  // never round a not-quite-all up to 100%
  }
  return fmt::format("{:.1f}%", p);
}

std::string formatSeconds(double seconds) {
  if (!(seconds > 0)) {
    return "0s";
  }
  auto s = static_cast<uint64_t>(seconds);
  const uint64_t d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60;
  s %= 60;
  if (d > 0) {
    return fmt::format("{}d{}h{}m", d, h, m);
  }
  if (h > 0) {
    return fmt::format("{}h{}m{}s", h, m, s);
  }
  if (m > 0) {
    return fmt::format("{}m{}s", m, s);
  }
  return fmt::format("{}s", s);
}

}  // namespace sluice::ctl
