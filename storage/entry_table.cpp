#include "storage/entry_table.h"

#include <cstring>
#include <string>

#include "storage/record.h"

namespace sluice::storage {
namespace {

std::string_view asBytes(const uint64_t& value) {
  return std::string_view(reinterpret_cast<const char*>(&value), sizeof value);
}

std::optional<uint64_t> loadTime(const std::optional<std::string_view>& stored) {
  if (!stored || stored->size() != sizeof(uint64_t)) {
    return std::nullopt;
  }
  uint64_t value = 0;
  std::memcpy(&value, stored->data(), sizeof value);
  return value;
}

}  // namespace

void EntryTable::insert(Txn& txn, const StoredKey& key, const PutRequest& request, uint64_t now_ms,
                        Accounting& acct) {
  const std::string_view stored = key.view();
  remove(txn, stored, acct);
  const std::string_view full_key = key.isLong() ? std::string_view(request.key) : std::string_view();
  const size_t size = recordSize(full_key.size(), tagsBlockSize(request.tags), request.value.size());
  char* out = txn.reserve(dbis_.entries, stored, size);
  if (out == nullptr) {
    return;
  }
  writeRecord(out, request.reclaim_at_ms, full_key, request.tags, request.value);
  setAccess(txn, stored, now_ms);
  if (request.reclaim_at_ms != 0) {
    txn.put(dbis_.expiry, IndexKey(request.reclaim_at_ms, stored).view(), {});
  }
  for (const auto& tag : request.tags) {
    txn.put(dbis_.tags, StoredKey(tag).view(), stored);
  }
  acct.entries += 1;
  acct.bytes += stored.size() + size;
}

bool EntryTable::remove(Txn& txn, std::string_view stored_key, Accounting& acct) {
  const auto record = txn.get(dbis_.entries, stored_key);
  if (!record) {
    return false;
  }
  const uint64_t accounted = accountedBytes(stored_key, *record);
  uint64_t reclaim_at_ms = 0;
  std::string tags;  // copied: the view may not survive the writes below
  if (const auto parsed = parseRecord(*record)) {
    reclaim_at_ms = parsed->reclaim_at_ms;
    tags.assign(parsed->tags);
  }
  if (const auto atime = loadTime(txn.get(dbis_.atime, stored_key))) {
    txn.del(dbis_.access, IndexKey(*atime, stored_key).view());
    txn.del(dbis_.atime, stored_key);
  }
  if (reclaim_at_ms != 0) {
    txn.del(dbis_.expiry, IndexKey(reclaim_at_ms, stored_key).view());
  }
  forEachTag(tags, [&](std::string_view tag) { txn.del(dbis_.tags, StoredKey(tag).view(), stored_key); });
  txn.del(dbis_.entries, stored_key);
  acct.entries -= 1;
  acct.bytes -= accounted;
  return true;
}

bool EntryTable::touch(Txn& txn, std::string_view stored_key, uint64_t now_ms, uint64_t granularity_ms) {
  const auto atime = loadTime(txn.get(dbis_.atime, stored_key));
  if (!atime || now_ms < *atime + granularity_ms) {
    return false;
  }
  txn.del(dbis_.access, IndexKey(*atime, stored_key).view());
  setAccess(txn, stored_key, now_ms);
  return true;
}

void EntryTable::setAccess(Txn& txn, std::string_view stored_key, uint64_t time_ms) {
  txn.put(dbis_.access, IndexKey(time_ms, stored_key).view(), {});
  txn.put(dbis_.atime, stored_key, asBytes(time_ms));
}

}  // namespace sluice::storage
