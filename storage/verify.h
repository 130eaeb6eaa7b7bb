#pragma once
// A full consistency check of one committed snapshot: every entry's record parses and its stored
// key matches its key; each entry has exactly its access, atime, expiry and tag rows and there are
// no others; the accounting matches the entries. Reads everything in one read txn on the calling
// thread (tests and tools, never a loop).

#include <string>

#include "storage/lmdb_env.h"
#include "storage/store_schema.h"

namespace sluice::storage {

// "" when consistent, else the first problems found, one per line.
std::string verifyStore(const Env& env, const Dbis& dbis);

}  // namespace sluice::storage
