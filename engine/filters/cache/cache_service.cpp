#include "engine/filters/cache/cache_service.h"

#include "engine/filters/cache/cache_key.h"

namespace sluice::filters::cache {

std::shared_ptr<CacheService> CacheService::open(const std::string& path, const config::CacheConfig& config,
                                                 std::string& error) {
  storage::StoreOptions options;
  options.path = path;
  options.max_size = config.max_size;
  std::unique_ptr<storage::CacheStore> store = storage::CacheStore::open(options, error);
  if (!store) {
    return nullptr;
  }
  std::shared_ptr<CacheService> service(new CacheService());
  service->path_ = path;
  service->max_size_ = config.max_size;
  service->store_ = std::move(store);
  return service;
}

bool CacheService::purge(PurgeKind kind, const std::string& argument, PurgeDone done) {
  pending_.clear();
  switch (kind) {
    case PurgeKind::Url: {
      std::optional<std::string> key = primaryKeyFromUrl(argument);
      if (!key) {
        return false;
      }
      // Every variant of the URL: the primary key and what follows its '\0' separator.
      key->push_back('\0');
      store_->purgePrefix(std::move(*key), std::move(done));
      return true;
    }
    case PurgeKind::Prefix: {
      std::optional<std::string> prefix = primaryKeyFromUrl(argument);
      if (!prefix) {
        return false;
      }
      store_->purgePrefix(std::move(*prefix), std::move(done));
      return true;
    }
    case PurgeKind::Tag:
      store_->purgeTag(argument, std::move(done));
      return true;
    case PurgeKind::All:
      store_->purgeAll(std::move(done));
      return true;
  }
  return false;
}

}  // namespace sluice::filters::cache
