#pragma once
// The process log: one line per event on stderr ("2026-11-30T12:00:00.123Z info message"), written
// with a single write(2) so lines from different threads never interleave. Callable from any thread.
// Under systemd with stderr on the journal (journal_stream.h), lines are "<6>message" instead: the
// sd-daemon(3) priority prefix keeps the level in journald (`journalctl -p warning`), and journald
// adds its own timestamps.
// Not the access log (see access_log.h), which is batched off the event loops.

#include <fmt/format.h>

#include <atomic>
#include <string>
#include <string_view>

namespace sluice::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };

bool parseLevel(std::string_view text, Level& out);
void setLevel(Level level);
// Journal format (priority prefix, no timestamp) on or off; set once at start-up, before threads.
void setJournalFormat(bool on);
// The line write() emits for `message` at `level` (without the newline's write); for tests.
std::string formatLine(Level level, std::string_view message);
bool enabled(Level level);
void write(Level level, std::string_view message);

template <typename... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::Debug)) {
    write(Level::Debug, fmt::format(f, std::forward<Args>(args)...));
  }
}
template <typename... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::Info)) {
    write(Level::Info, fmt::format(f, std::forward<Args>(args)...));
  }
}
template <typename... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::Warn)) {
    write(Level::Warn, fmt::format(f, std::forward<Args>(args)...));
  }
}
template <typename... Args>
void error(fmt::format_string<Args...> f, Args&&... args) {
  write(Level::Error, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace sluice::log
