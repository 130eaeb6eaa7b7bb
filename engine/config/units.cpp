#include "engine/config/units.h"

#include <array>
#include <charconv>
#include <limits>

namespace sluice::config {
namespace {

struct Unit {
  std::string_view suffix;
  uint64_t factor;
};

// Read the leading decimal digits of `text` into `value`; false on no digits or overflow.
bool takeNumber(std::string_view& text, uint64_t& value) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr == begin) {
    return false;
  }
  text.remove_prefix(static_cast<size_t>(ptr - begin));
  return true;
}

bool multiplyAdd(uint64_t& total, uint64_t value, uint64_t factor) {
  uint64_t product = 0;
  if (__builtin_mul_overflow(value, factor, &product)) {
    return false;
  }
  return !__builtin_add_overflow(total, product, &total);
}

// Largest first: a combination must use them in this order, each at most once.
constexpr std::array<Unit, 5> kDurationUnits{{
    {"d", 86'400'000},
    {"h", 3'600'000},
    {"m", 60'000},
    {"s", 1'000},
    {"ms", 1},
}};

}  // namespace

std::optional<Duration> parseDuration(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  uint64_t total = 0;
  size_t next_unit = 0;  // index of the smallest unit still allowed
  while (!text.empty()) {
    uint64_t value = 0;
    if (!takeNumber(text, value)) {
      return std::nullopt;
    }
    size_t suffix_len = 0;
    while (suffix_len < text.size() && text[suffix_len] >= 'a' && text[suffix_len] <= 'z') {
      ++suffix_len;
    }
    std::string_view suffix = text.substr(0, suffix_len);
    text.remove_prefix(suffix_len);
    size_t unit = next_unit;
    while (unit < kDurationUnits.size() && kDurationUnits[unit].suffix != suffix) {
      ++unit;
    }
    if (unit == kDurationUnits.size() || !multiplyAdd(total, value, kDurationUnits[unit].factor)) {
      return std::nullopt;
    }
    next_unit = unit + 1;
  }
  if (total > static_cast<uint64_t>(std::numeric_limits<Duration::rep>::max())) {
    return std::nullopt;
  }
  return Duration(static_cast<Duration::rep>(total));
}

std::optional<uint64_t> parseSize(std::string_view text) {
  static constexpr std::array<Unit, 18> kSizeUnits{{
      {"", 1},
      {"B", 1},
      {"KiB", 1ull << 10},
      {"MiB", 1ull << 20},
      {"GiB", 1ull << 30},
      {"TiB", 1ull << 40},
      {"KB", 1'000},
      {"MB", 1'000'000},
      {"GB", 1'000'000'000},
      {"TB", 1'000'000'000'000},
      {"k", 1ull << 10},
      {"K", 1ull << 10},
      {"m", 1ull << 20},
      {"M", 1ull << 20},
      {"g", 1ull << 30},
      {"G", 1ull << 30},
      {"t", 1ull << 40},
      {"T", 1ull << 40},
  }};
  uint64_t value = 0;
  if (!takeNumber(text, value)) {
    return std::nullopt;
  }
  for (const Unit& unit : kSizeUnits) {
    if (unit.suffix == text) {
      uint64_t total = 0;
      if (!multiplyAdd(total, value, unit.factor)) {
        return std::nullopt;
      }
      return total;
    }
  }
  return std::nullopt;
}

std::string formatDuration(Duration d) {
  if (d.count() <= 0) {
    return d.count() == 0 ? "0s" : std::to_string(d.count()) + "ms";  // never in a loaded config
  }
  uint64_t rest = static_cast<uint64_t>(d.count());
  std::string out;
  for (const Unit& unit : kDurationUnits) {
    if (rest >= unit.factor) {
      out += std::to_string(rest / unit.factor);
      out += unit.suffix;
      rest %= unit.factor;
    }
  }
  return out;
}

std::string formatSize(uint64_t bytes) {
  static constexpr std::array<Unit, 4> kBinary{{
      {"TiB", 1ull << 40},
      {"GiB", 1ull << 30},
      {"MiB", 1ull << 20},
      {"KiB", 1ull << 10},
  }};
  for (const Unit& unit : kBinary) {
    if (bytes != 0 && bytes % unit.factor == 0) {
      return std::to_string(bytes / unit.factor) + std::string(unit.suffix);
    }
  }
  return std::to_string(bytes);
}

}  // namespace sluice::config
