#include "engine/config/history_header.h"

#include <fmt/format.h>

#include <charconv>
#include <ctime>

namespace sluice::config::detail {
namespace {

constexpr std::string_view kPrefix = "# sluice config v";

// Reads digits up to the next space (or the end); advances `text` past them and the space.
template <typename T>
std::optional<T> takeNumber(std::string_view& text) {
  T value{};
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr == text.data()) {
    return std::nullopt;
  }
  text.remove_prefix(static_cast<size_t>(ptr - text.data()));
  return value;
}

bool takeSpace(std::string_view& text) {
  if (text.empty() || text[0] != ' ') {
    return false;
  }
  text.remove_prefix(1);
  return true;
}

}  // namespace

std::string formatUtc(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::optional<std::chrono::system_clock::time_point> parseUtc(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SSZ
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z') {
    return std::nullopt;
  }
  auto field = [&](size_t at, size_t len) -> std::optional<int> {
    int value = 0;
    auto [ptr, ec] = std::from_chars(text.data() + at, text.data() + at + len, value);
    if (ec != std::errc() || ptr != text.data() + at + len) {
      return std::nullopt;
    }
    return value;
  };
  const auto year = field(0, 4), month = field(5, 2), day = field(8, 2);
  const auto hour = field(11, 2), minute = field(14, 2), second = field(17, 2);
  if (!year || !month || !day || !hour || !minute || !second || *month < 1 || *month > 12 || *day < 1 ||
      *day > 31 || *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = *year - 1900;
  tm.tm_mon = *month - 1;
  tm.tm_mday = *day;
  tm.tm_hour = *hour;
  tm.tm_min = *minute;
  tm.tm_sec = *second;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string formatHistoryHeader(const ConfigVersionInfo& info) {
  std::string what = info.what;
  for (char& c : what) {
    if (c == '\n' || c == '\r') {
      c = ' ';
    }
  }
  const std::string uid = info.uid ? std::to_string(*info.uid) : std::string("-");
  return fmt::format("{}{} {} uid={} {}\n", kPrefix, info.version, formatUtc(info.time), uid, what);
}

std::optional<ConfigVersionInfo> parseHistoryHeader(std::string_view line) {
  if (!line.starts_with(kPrefix)) {
    return std::nullopt;
  }
  line.remove_prefix(kPrefix.size());
  ConfigVersionInfo info;
  const std::optional<uint64_t> version = takeNumber<uint64_t>(line);
  if (!version || *version == 0 || !takeSpace(line) || line.size() < 20) {
    return std::nullopt;
  }
  info.version = *version;
  const auto time = parseUtc(line.substr(0, 20));
  line.remove_prefix(20);
  if (!time || !takeSpace(line) || !line.starts_with("uid=")) {
    return std::nullopt;
  }
  info.time = *time;
  line.remove_prefix(4);
  if (line.starts_with("-")) {
    line.remove_prefix(1);
  } else {
    const std::optional<uid_t> uid = takeNumber<uid_t>(line);
    if (!uid) {
      return std::nullopt;
    }
    info.uid = *uid;
  }
  if (!line.empty() && !takeSpace(line)) {
    return std::nullopt;
  }
  info.what = std::string(line);
  return info;
}

}  // namespace sluice::config::detail
