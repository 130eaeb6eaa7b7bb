#include "storage/purge.h"

#include <vector>

#include "storage/key_codec.h"
#include "storage/lmdb_cursor.h"
#include "storage/record.h"

namespace sluice::storage {
namespace {

// Rows examined per step, matching or not (a long prefix may scan past non-matching keys).
constexpr size_t kScanFactor = 4;

uint64_t removeAll(Txn& txn, EntryTable& table, Accounting& acct, const std::vector<std::string>& keys) {
  uint64_t removed = 0;
  for (const auto& key : keys) {
    removed += table.remove(txn, key, acct) ? 1 : 0;
  }
  return removed;
}

class PrefixPurge final : public Purge {
 public:
  explicit PrefixPurge(std::string prefix) : prefix_(std::move(prefix)) {}

  uint64_t step(Txn& txn, EntryTable& table, Accounting& acct, size_t limit) override {
    const std::string_view prefix = prefix_;
    const std::string_view scan = prefix.substr(0, kDirectKeyMax);
    std::vector<std::string> victims;
    {
      Cursor cursor;
      if (cursor.open(txn, table.dbis().entries) != 0) {
        done_ = true;
        return 0;
      }
      auto row = !resume_.empty() ? cursor.seek(MDB_SET_RANGE, resume_)
                 : scan.empty()   ? cursor.get(MDB_FIRST)
                                  : cursor.seek(MDB_SET_RANGE, scan);
      size_t examined = 0;
      for (; row && row->key.starts_with(scan); row = cursor.get(MDB_NEXT)) {
        if (victims.size() == limit || examined == limit * kScanFactor) {
          break;
        }
        ++examined;
        if (row->key == resume_) {
          continue;  // looked at (and kept) by the previous step
        }
        if (matches(row->key, row->value)) {
          victims.emplace_back(row->key);
        }
        resume_.assign(row->key);
      }
      done_ = !row || !row->key.starts_with(scan);
    }
    return removeAll(txn, table, acct, victims);
  }

 private:
  bool matches(std::string_view stored_key, std::string_view record) const {
    if (prefix_.size() <= kDirectKeyMax) {
      return true;  // the stored form keeps the first kDirectKeyMax bytes: the range is exact
    }
    if (!isLongStoredKey(stored_key)) {
      return false;  // a direct key is shorter than the prefix
    }
    const auto parsed = parseRecord(record);
    return parsed && parsed->full_key.starts_with(prefix_);
  }

  std::string prefix_;
};

class TagPurge final : public Purge {
 public:
  explicit TagPurge(std::string tag) : tag_(std::move(tag)) {
    done_ = !isValidKey(tag_);
    if (!done_) {
      stored_.assign(tag_);
    }
  }

  uint64_t step(Txn& txn, EntryTable& table, Accounting& acct, size_t limit) override {
    std::vector<std::string> victims;
    {
      Cursor cursor;
      if (done_ || cursor.open(txn, table.dbis().tags) != 0) {
        done_ = true;
        return 0;
      }
      auto row = resume_.empty() ? cursor.seek(MDB_SET_KEY, stored_.view())
                                 : cursor.seek(MDB_GET_BOTH_RANGE, stored_.view(), resume_);
      size_t examined = 0;
      for (; row; row = cursor.get(MDB_NEXT_DUP)) {
        if (victims.size() == limit || examined == limit * kScanFactor) {
          break;
        }
        ++examined;
        if (row->value == resume_) {
          continue;
        }
        if (matches(txn, table, row->value)) {
          victims.emplace_back(row->value);
        }
        resume_.assign(row->value);
      }
      done_ = !row;
    }
    return removeAll(txn, table, acct, victims);
  }

 private:
  bool matches(Txn& txn, EntryTable& table, std::string_view stored_key) const {
    if (!stored_.isLong()) {
      return true;
    }
    const auto record = txn.get(table.dbis().entries, stored_key);
    const auto parsed = record ? parseRecord(*record) : std::nullopt;
    return parsed && hasTag(parsed->tags, tag_);
  }

  std::string tag_;
  StoredKey stored_;
};

}  // namespace

std::unique_ptr<Purge> makePrefixPurge(std::string prefix) {
  return std::make_unique<PrefixPurge>(std::move(prefix));
}

std::unique_ptr<Purge> makeTagPurge(std::string tag) {
  return std::make_unique<TagPurge>(std::move(tag));
}

uint64_t purgeEverything(Txn& txn, const Dbis& dbis, Accounting& acct) {
  const uint64_t count = acct.entries;
  for (const MDB_dbi dbi : {dbis.entries, dbis.access, dbis.atime, dbis.expiry, dbis.tags}) {
    txn.clear(dbi);
  }
  acct = Accounting{};
  return count;
}

}  // namespace sluice::storage
