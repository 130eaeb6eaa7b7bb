#pragma once
// The part of the response cache that all workers share and that outlives config reloads: the LMDB
// store with its writer thread, the request-coalescing table, and purging. Owned by the Node,
// created on the control thread when a route first uses a cache policy; workers reach it through
// their NodeSnapshot. Thread-safe: its members are (see CacheStore and FlightTable).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/config/config.h"
#include "engine/filters/cache/flight_table.h"
#include "engine/filters/cache/pending_writes.h"
#include "storage/cache_store.h"

namespace sluice::filters::cache {

enum class PurgeKind { Url, Prefix, Tag, All };

class CacheService {
 public:
  // Opens (or creates) the store at `path` (the resolved cache.path). Null with `error` on failure.
  static std::shared_ptr<CacheService> open(const std::string& path, const config::CacheConfig& config,
                                            std::string& error);

  const std::string& path() const { return path_; }
  uint64_t maxSize() const { return max_size_; }
  storage::CacheStore& store() { return *store_; }
  FlightTable& flights() { return flights_; }
  PendingWrites& pending() { return pending_; }

  // Removes entries: Url — that URL's entry and all its variants ("http://host/path?query");
  // Prefix — every URL starting with the argument ("http://host/path-prefix"); both in the form of
  // primaryKeyFromUrl(), so "https://Host:443/a" names the same entries as "http://host/a". Tag — entries whose
  // Cache-Tag / Surrogate-Key listed it; All. `done` runs on the store's writer thread with the
  // number of entries removed. False (and `done` is never called) when the URL is not valid.
  using PurgeDone = std::function<void(uint64_t removed)>;
  bool purge(PurgeKind kind, const std::string& argument, PurgeDone done);

 private:
  CacheService() = default;

  std::string path_;
  uint64_t max_size_ = 0;
  FlightTable flights_;
  PendingWrites pending_;
  // Last, so it is destroyed first: its writer thread settles queued puts into `pending_` as it stops.
  std::unique_ptr<storage::CacheStore> store_;
};

using CacheServicePtr = std::shared_ptr<CacheService>;

}  // namespace sluice::filters::cache
