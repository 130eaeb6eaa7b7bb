#pragma once
// Purges, a chunk at a time: the writer runs step() in a txn of its own, commits, and repeats until
// done(), so a large purge never becomes one giant txn and queued work waits only a chunk.
// Writer thread only.
//
// Prefix: every key starting with the prefix. Stored keys keep a key's first kDirectKeyMax bytes
// (key_codec.h), so the matches are a contiguous range starting at MDB_SET_RANGE(prefix). A prefix
// longer than that scans the range of its first kDirectKeyMax bytes and compares whole keys from
// the records. Tag: the tag's duplicates in the `tags` index; a long tag is checked against the
// record's own tags (its stored form is a digest).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "storage/entry_table.h"
#include "storage/lmdb_txn.h"

namespace sluice::storage {

class Purge {
 public:
  virtual ~Purge() = default;
  // Removes up to `limit` matching entries in `txn`; returns how many.
  virtual uint64_t step(Txn& txn, EntryTable& table, Accounting& acct, size_t limit) = 0;
  bool done() const { return done_; }

  // Where the scan is, so that a chunk whose txn failed can be looked at again.
  struct Position {
    std::string resume;
    bool done = false;
  };
  Position position() const { return Position{resume_, done_}; }
  void rewind(const Position& position) {
    resume_ = position.resume;
    done_ = position.done;
  }

 protected:
  bool done_ = false;
  std::string resume_;  // the last row looked at by the previous step (kept if it did not match)
};

std::unique_ptr<Purge> makePrefixPurge(std::string prefix);
std::unique_ptr<Purge> makeTagPurge(std::string tag);

// Empties every database in one txn (mdb_drop frees whole trees without visiting each entry);
// returns how many entries there were.
uint64_t purgeEverything(Txn& txn, const Dbis& dbis, Accounting& acct);

}  // namespace sluice::storage
