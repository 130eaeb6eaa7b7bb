#include "engine/log/logger.h"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <string>

namespace sluice::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::Info)};
std::atomic<bool> g_journal{false};

// sd-daemon.h's SD_DEBUG, SD_INFO, SD_WARNING, SD_ERR, as text ("<7>" ...).
const char* journalPrefix(Level level) {
  switch (level) {
    case Level::Debug: return "<7>";
    case Level::Info: return "<6>";
    case Level::Warn: return "<4>";
    case Level::Error: return "<3>";
  }
  return "<6>";
}

const char* levelName(Level level) {
  switch (level) {
    case Level::Debug: return "debug";
    case Level::Info: return "info";
    case Level::Warn: return "warn";
    case Level::Error: return "error";
  }
  return "info";
}

}  // namespace

bool parseLevel(std::string_view text, Level& out) {
  if (text == "debug") { out = Level::Debug; return true; }
  if (text == "info") { out = Level::Info; return true; }
  if (text == "warn") { out = Level::Warn; return true; }
  if (text == "error") { out = Level::Error; return true; }
  return false;
}

void setLevel(Level level) { g_level.store(static_cast<int>(level), std::memory_order_relaxed); }

bool enabled(Level level) {
  return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

void setJournalFormat(bool on) { g_journal.store(on, std::memory_order_relaxed); }

std::string formatLine(Level level, std::string_view message) {
  if (g_journal.load(std::memory_order_relaxed)) {
    return fmt::format("{}{}\n", journalPrefix(level), message);
  }
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t secs = system_clock::to_time_t(now);
  const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z {} {}\n", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis, levelName(level), message);
}

void write(Level level, std::string_view message) {
  const std::string line = formatLine(level, message);
  // One write per line: atomic for pipes up to PIPE_BUF and in practice for terminals and files.
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n <= 0) {
      break;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace sluice::log
