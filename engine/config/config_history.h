#pragma once
// The last versions of the config text (config.history / config.rollback) and the atomic write-back
// of the config file. Versions only grow and survive restarts: each is stored as one file
// `<dir>/v<version>.yaml` whose first line is a comment with its time, uid and what changed.
// Blocking file I/O: call from a thread-pool thread, or before any event loop runs (start-up).
// Thread-safe (one mutex, never held during file I/O, so readers on an event loop never wait for a
// disk); the writers (adopt, record, forget) must run one at a time, which the ConfigEditor ensures.
// An empty `dir` keeps the history in memory only (embedded config). Memory: the texts of the kept
// versions (`keep` times the config's size).

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::config {

struct ConfigVersionInfo {
  uint64_t version = 0;
  std::chrono::system_clock::time_point time{};
  std::optional<uid_t> uid;  // unset: not made over the control socket (start-up, SIGHUP)
  std::string what;          // "start-up", "SIGHUP", "rate_limits.set per_ip", "config.rollback to 4"
};

class ConfigHistory {
 public:
  static constexpr size_t kDefaultKeep = 20;

  // Reads the versions stored in `dir` (blocking; at start-up). Files that do not parse are logged
  // and ignored; versions beyond `keep` and temp files left by a crash are removed.
  explicit ConfigHistory(std::string dir, size_t keep = kDefaultKeep);

  // The version for `text` at start-up or after SIGHUP: the newest stored version's number when its
  // text is the same, else a new version (newest + 1, or 1) recorded with `what`. Creates `dir`
  // (mode 0750) when missing. On an I/O error: the new number is still returned (in memory), and
  // `error` says what failed.
  uint64_t adopt(const std::string& text, const std::string& what, std::string& error);

  // Stores `text` as info.version (which must be newer than every stored one) and drops the oldest
  // beyond `keep`. false with `error` ("cannot write DIR/v8.yaml: No space left on device").
  bool record(const std::string& text, const ConfigVersionInfo& info, std::string& error);

  // Takes back the newest version when it is `version` (an edit that was recorded but then could not
  // be applied), so the history only lists configs the node ran. false with `error` otherwise.
  bool forget(uint64_t version, std::string& error);

  // Newest first.
  std::vector<ConfigVersionInfo> list() const;
  std::optional<std::string> text(uint64_t version) const;
  uint64_t newest() const;  // 0 when empty

 private:
  std::string dir_;
  size_t keep_;
  mutable std::mutex mutex_;
  // In-memory copy (also what `dir` holds), oldest first.
  std::vector<std::pair<ConfigVersionInfo, std::string>> versions_;
};

// Writes `text` to `path` atomically: a temp file in the same folder with the old file's mode and
// owner (0640 when new), fsync, rename over `path`, fsync of the folder. false with
// "cannot write PATH: <strerror>" on any error; the old file is then untouched and no temp file is left.
bool writeFileAtomically(const std::string& path, std::string_view text, std::string& error);

}  // namespace sluice::config
