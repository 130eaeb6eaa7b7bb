#pragma once
// Helpers the storage tests share: open a store in a directory, read a value as a copy, and run a
// purge to completion.

#include <QTest>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "storage/cache_store.h"

namespace sluice::storage::testing {

inline CacheStorePtr openStore(const QString& dir, StoreOptions options = {}) {
  options.path = dir.toStdString();
  std::string error;
  auto store = CacheStore::open(options, error);
  if (!store) {
    qWarning("CacheStore::open: %s", error.c_str());
  }
  return store;
}

inline std::optional<std::string> valueOf(Reader& reader, std::string_view key) {
  const ReadView view = reader.get(key);
  if (!view.found()) {
    return std::nullopt;
  }
  return std::string(view.value());
}

enum class PurgeKind { Prefix, Tag, All };

// Queues the purge, waits for it, and returns the count its callback reported.
inline uint64_t purgeNow(CacheStore& store, PurgeKind kind, std::string arg = {}) {
  std::atomic<int64_t> removed{-1};
  auto done = [&removed](uint64_t n) { removed.store(static_cast<int64_t>(n)); };
  if (kind == PurgeKind::Prefix) {
    store.purgePrefix(std::move(arg), done);
  } else if (kind == PurgeKind::Tag) {
    store.purgeTag(std::move(arg), done);
  } else {
    store.purgeAll(done);
  }
  store.flush();
  return static_cast<uint64_t>(removed.load());
}

// 64-bit FNV-1a: values in the crash and concurrency tests carry their own checksum.
inline uint64_t fnv1a(std::string_view data) {
  uint64_t hash = 1469598103934665603ull;
  for (const char c : data) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  }
  return hash;
}

inline std::string checkedValue(std::string payload) {
  const uint64_t sum = fnv1a(payload);
  return std::string(reinterpret_cast<const char*>(&sum), sizeof sum) + payload;
}

inline bool checksumOk(std::string_view value) {
  if (value.size() < 8) {
    return false;
  }
  uint64_t sum = 0;
  std::memcpy(&sum, value.data(), 8);
  return sum == fnv1a(value.substr(8));
}

}  // namespace sluice::storage::testing
