#include "storage/store_schema.h"

#include <cstring>

namespace sluice::storage {
namespace {

constexpr std::string_view kFormatKey = "format";
constexpr std::string_view kAccountingKey = "accounting";

bool openAll(Txn& txn, Dbis& dbis) {
  struct Named {
    const char* name;
    unsigned flags;
    MDB_dbi* out;
  };
  const Named named[] = {
      {"entries", 0, &dbis.entries}, {"access", 0, &dbis.access},       {"atime", 0, &dbis.atime},
      {"expiry", 0, &dbis.expiry},   {"tags", MDB_DUPSORT, &dbis.tags}, {"meta", 0, &dbis.meta},
  };
  for (const auto& n : named) {
    const int rc = txn.openDbi(n.name, n.flags | MDB_CREATE, *n.out);
    if (rc != 0) {
      txn.fail(rc);
      return false;
    }
  }
  return true;
}

}  // namespace

bool openSchema(Env& env, Dbis& dbis, Accounting& accounting, std::string& error) {
  Txn txn;
  int rc = txn.begin(env.handle(), 0);
  if (rc != 0) {
    error = std::string("cannot start a write transaction: ") + mdb_strerror(rc);
    return false;
  }
  if (!openAll(txn, dbis)) {
    error = std::string("cannot open the cache databases: ") + mdb_strerror(txn.error());
    return false;
  }
  const auto format = txn.get(dbis.meta, kFormatKey);
  if (format) {
    uint32_t version = 0;
    if (format->size() == sizeof version) {
      std::memcpy(&version, format->data(), sizeof version);
    }
    if (version != kFormatVersion) {
      error = "unsupported cache format " + std::to_string(version) + " (this build reads " +
              std::to_string(kFormatVersion) + "); remove the cache directory to start afresh";
      return false;
    }
  } else if (!txn.failed()) {
    const uint32_t version = kFormatVersion;
    txn.put(dbis.meta, kFormatKey, std::string_view(reinterpret_cast<const char*>(&version), sizeof version));
  }
  if (!loadAccounting(txn, dbis, accounting)) {
    error = "the cache's accounting record is damaged; remove the cache directory to start afresh";
    return false;
  }
  rc = txn.commit();
  if (rc != 0) {
    error = std::string("cannot initialise the cache databases: ") + mdb_strerror(rc);
    return false;
  }
  return true;
}

bool loadAccounting(Txn& txn, const Dbis& dbis, Accounting& out) {
  out = Accounting{};
  const auto stored = txn.get(dbis.meta, kAccountingKey);
  if (!stored) {
    return !txn.failed();
  }
  if (stored->size() != 16) {
    return false;
  }
  std::memcpy(&out.entries, stored->data(), 8);
  std::memcpy(&out.bytes, stored->data() + 8, 8);
  return true;
}

bool storeAccounting(Txn& txn, const Dbis& dbis, const Accounting& accounting) {
  char bytes[16];
  std::memcpy(bytes, &accounting.entries, 8);
  std::memcpy(bytes + 8, &accounting.bytes, 8);
  return txn.put(dbis.meta, kAccountingKey, std::string_view(bytes, sizeof bytes));
}

}  // namespace sluice::storage
