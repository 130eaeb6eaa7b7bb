#include "engine/config/config_history.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>

#include "engine/config/history_header.h"
#include "engine/log/logger.h"
#include "storage/make_directories.h"

namespace sluice::config {
namespace {

constexpr mode_t kDirMode = 0750;
constexpr size_t kMaxStoredFile = 17 << 20;  // a 16 MiB config (the loader's limit) and its header

std::string versionPath(const std::string& dir, uint64_t version) {
  return dir + "/v" + std::to_string(version) + ".yaml";
}

// "v8.yaml" -> 8; 0 for any other name.
uint64_t versionOfName(std::string_view name) {
  if (!name.starts_with("v") || !name.ends_with(".yaml")) {
    return 0;
  }
  const std::string_view digits = name.substr(1, name.size() - 6);
  uint64_t version = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
  return ec == std::errc() && ptr == digits.data() + digits.size() ? version : 0;
}

// A temp file of writeFileAtomically for a version file, left behind by a crash.
bool isStaleTemp(std::string_view name) {
  return name.starts_with(".v") && name.find(".yaml.tmp-") != std::string_view::npos;
}

bool readFile(const std::string& path, std::string& text, std::string& error) {
  std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    error = std::strerror(errno);
    return false;
  }
  char chunk[16384];
  size_t got = 0;
  while ((got = std::fread(chunk, 1, sizeof chunk, file.get())) > 0) {
    text.append(chunk, got);
    if (text.size() > kMaxStoredFile) {
      error = "larger than 17 MiB";
      return false;
    }
  }
  if (std::ferror(file.get())) {
    error = std::strerror(errno);
    return false;
  }
  return true;
}

void removeFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    log::warn("config history: cannot remove {}: {}", path, std::strerror(errno));
  }
}

}  // namespace

ConfigHistory::ConfigHistory(std::string dir, size_t keep)
    : dir_(std::move(dir)), keep_(std::max<size_t>(keep, 1)) {
  if (dir_.empty()) {
    return;
  }
  struct CloseDir {
    void operator()(DIR* d) const { ::closedir(d); }
  };
  std::unique_ptr<DIR, CloseDir> folder(::opendir(dir_.c_str()));
  if (!folder) {
    if (errno != ENOENT) {
      log::warn("config history: cannot read {}: {}", dir_, std::strerror(errno));
    }
    return;
  }
  while (const dirent* entry = ::readdir(folder.get())) {
    const std::string_view name = entry->d_name;
    const std::string path = dir_ + "/" + std::string(name);
    if (isStaleTemp(name)) {
      removeFile(path);
      continue;
    }
    const uint64_t version = versionOfName(name);
    if (version == 0) {
      continue;
    }
    std::string text;
    std::string error;
    if (!readFile(path, text, error)) {
      log::warn("config history: ignoring {}: {}", path, error);
      continue;
    }
    const size_t eol = text.find('\n');
    const std::optional<ConfigVersionInfo> info = detail::parseHistoryHeader(
        eol == std::string::npos ? std::string_view(text) : std::string_view(text).substr(0, eol));
    if (!info || info->version != version || eol == std::string::npos) {
      log::warn("config history: ignoring {}: its first line is not '# sluice config v{} TIME uid=UID WHAT'",
                path, version);
      continue;
    }
    versions_.emplace_back(*info, text.substr(eol + 1));
  }
  std::sort(versions_.begin(), versions_.end(),
            [](const auto& a, const auto& b) { return a.first.version < b.first.version; });
  while (versions_.size() > keep_) {
    removeFile(versionPath(dir_, versions_.front().first.version));
    versions_.erase(versions_.begin());
  }
}

uint64_t ConfigHistory::adopt(const std::string& text, const std::string& what, std::string& error) {
  ConfigVersionInfo info;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!versions_.empty() && versions_.back().second == text) {
      return versions_.back().first.version;
    }
    info.version = versions_.empty() ? 1 : versions_.back().first.version + 1;
  }
  info.time = std::chrono::system_clock::now();
  info.what = what;
  if (!record(text, info, error)) {
    // The node runs this text whatever the disk says: number it in memory.
    std::lock_guard<std::mutex> lock(mutex_);
    versions_.emplace_back(info, text);
    if (versions_.size() > keep_) {
      versions_.erase(versions_.begin());
    }
  }
  return info.version;
}

bool ConfigHistory::record(const std::string& text, const ConfigVersionInfo& info, std::string& error) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (info.version == 0 || (!versions_.empty() && info.version <= versions_.back().first.version)) {
      error = "config version " + std::to_string(info.version) + " is not newer than the stored " +
              std::to_string(versions_.empty() ? 0 : versions_.back().first.version);
      return false;
    }
  }
  if (!dir_.empty()) {
    if (!storage::makeDirectories(dir_, kDirMode, error)) {
      return false;
    }
    if (!writeFileAtomically(versionPath(dir_, info.version), detail::formatHistoryHeader(info) + text,
                             error)) {
      return false;
    }
  }
  std::vector<uint64_t> dropped;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    versions_.emplace_back(info, text);
    while (versions_.size() > keep_) {
      dropped.push_back(versions_.front().first.version);
      versions_.erase(versions_.begin());
    }
  }
  for (uint64_t version : dropped) {
    if (!dir_.empty()) {
      removeFile(versionPath(dir_, version));
    }
  }
  return true;
}

bool ConfigHistory::forget(uint64_t version, std::string& error) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (versions_.empty() || versions_.back().first.version != version) {
      error = "config version " + std::to_string(version) + " is not the newest stored version";
      return false;
    }
    versions_.pop_back();
  }
  if (!dir_.empty()) {
    const std::string path = versionPath(dir_, version);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      error = "cannot remove " + path + ": " + std::strerror(errno);
      return false;
    }
  }
  return true;
}

std::vector<ConfigVersionInfo> ConfigHistory::list() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ConfigVersionInfo> out;
  for (auto it = versions_.rbegin(); it != versions_.rend(); ++it) {
    out.push_back(it->first);
  }
  return out;
}

std::optional<std::string> ConfigHistory::text(uint64_t version) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [info, text] : versions_) {
    if (info.version == version) {
      return text;
    }
  }
  return std::nullopt;
}

uint64_t ConfigHistory::newest() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return versions_.empty() ? 0 : versions_.back().first.version;
}

}  // namespace sluice::config
