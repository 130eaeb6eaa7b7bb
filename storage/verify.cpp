#include "storage/verify.h"

#include <cstring>

#include "storage/key_codec.h"
#include "storage/lmdb_cursor.h"
#include "storage/record.h"

namespace sluice::storage {
namespace {

constexpr size_t kMaxProblems = 10;

class Checker {
 public:
  Checker(Txn& txn, const Dbis& dbis) : txn_(txn), dbis_(dbis) {}

  void run() {
    Cursor cursor;
    if (cursor.open(txn_, dbis_.entries) != 0) {
      problem("cannot open a cursor on entries");
      return;
    }
    for (auto row = cursor.get(MDB_FIRST); row && problems_ < kMaxProblems; row = cursor.get(MDB_NEXT)) {
      checkEntry(row->key, row->value);
    }
    cursor.close();
    checkCounts();
    checkAccounting();
    if (txn_.failed()) {
      problem(std::string("LMDB error: ") + mdb_strerror(txn_.error()));
    }
  }

  std::string report() const { return report_; }

 private:
  void checkEntry(std::string_view stored, std::string_view record) {
    const std::string name = printable(stored);
    seen_.entries += 1;
    seen_.bytes += accountedBytes(stored, record);
    const auto parsed = parseRecord(record);
    if (!parsed) {
      problem("entry " + name + ": malformed record");
      return;
    }
    const std::string_view key = isLongStoredKey(stored) ? parsed->full_key : stored;
    if (!isValidKey(key) || StoredKey(key).view() != stored ||
        (!isLongStoredKey(stored) && !parsed->full_key.empty())) {
      problem("entry " + name + ": stored key does not match its key");
    }
    const auto atime = txn_.get(dbis_.atime, stored);
    uint64_t last_access = 0;
    if (!atime || atime->size() != 8) {
      problem("entry " + name + ": no last-access row");
    } else {
      std::memcpy(&last_access, atime->data(), 8);
      if (!txn_.get(dbis_.access, IndexKey(last_access, stored).view())) {
        problem("entry " + name + ": not in the access order");
      }
    }
    if (parsed->reclaim_at_ms != 0) {
      ++expiring_;
      if (!txn_.get(dbis_.expiry, IndexKey(parsed->reclaim_at_ms, stored).view())) {
        problem("entry " + name + ": not in the expiry index");
      }
    }
    const bool tags_ok = forEachTag(parsed->tags, [&](std::string_view tag) {
      ++tag_rows_;
      if (!isValidKey(tag) || !hasTagRow(StoredKey(tag).view(), stored)) {
        problem("entry " + name + ": tag " + printable(tag) + " not in the tag index");
      }
    });
    if (!tags_ok) {
      problem("entry " + name + ": malformed tags");
    }
  }

  bool hasTagRow(std::string_view stored_tag, std::string_view stored_key) {
    Cursor cursor;
    return cursor.open(txn_, dbis_.tags) == 0 &&
           cursor.seek(MDB_GET_BOTH, stored_tag, stored_key).has_value();
  }

  // Every entry found its own rows above; equal counts mean there are no rows without an entry.
  void checkCounts() {
    const auto count = [&](MDB_dbi dbi) { return static_cast<uint64_t>(txn_.stat(dbi).ms_entries); };
    expectCount("access", count(dbis_.access), seen_.entries);
    expectCount("atime", count(dbis_.atime), seen_.entries);
    expectCount("expiry", count(dbis_.expiry), expiring_);
    expectCount("tags", count(dbis_.tags), tag_rows_);
  }

  void expectCount(const char* db, uint64_t rows, uint64_t expected) {
    if (rows != expected) {
      problem(std::string(db) + ": " + std::to_string(rows) + " rows, expected " + std::to_string(expected));
    }
  }

  void checkAccounting() {
    Accounting stored;
    if (!loadAccounting(txn_, dbis_, stored)) {
      problem("accounting: malformed");
    } else if (stored.entries != seen_.entries || stored.bytes != seen_.bytes) {
      problem("accounting: " + std::to_string(stored.entries) + " entries / " + std::to_string(stored.bytes) +
              " bytes recorded, " + std::to_string(seen_.entries) + " / " + std::to_string(seen_.bytes) +
              " found");
    }
  }

  void problem(const std::string& text) {
    if (problems_++ < kMaxProblems) {
      report_ += text + "\n";
    }
  }

  static std::string printable(std::string_view bytes) {
    std::string out;
    for (const char c : bytes.substr(0, 80)) {
      out += (c >= 0x20 && c < 0x7f) ? c : '?';
    }
    return bytes.size() > 80 ? out + "..." : out;
  }

  Txn& txn_;
  const Dbis& dbis_;
  Accounting seen_;
  uint64_t expiring_ = 0;
  uint64_t tag_rows_ = 0;
  size_t problems_ = 0;
  std::string report_;
};

}  // namespace

std::string verifyStore(const Env& env, const Dbis& dbis) {
  Txn txn;
  if (const int rc = txn.begin(env.handle(), MDB_RDONLY); rc != 0) {
    return std::string("cannot start a read transaction: ") + mdb_strerror(rc) + "\n";
  }
  Checker checker(txn, dbis);
  checker.run();
  return checker.report();
}

}  // namespace sluice::storage
