// verify() is what the other storage tests trust, so it is checked against damage made by hand:
// each case writes a store, edits one row behind its back, and expects verify() to name it.

#include <QTemporaryDir>
#include <QtTest>
#include <functional>
#include <string>

#include "storage/cache_store.h"
#include "storage/key_codec.h"
#include "storage/lmdb_cursor.h"
#include "storage/lmdb_env.h"
#include "storage/store_schema.h"
#include "tests/unit/storage/store_fixture.h"

using namespace sluice::storage;
using namespace sluice::storage::testing;

class VerifyTest : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    QVERIFY(dir_.isValid());
    StoreOptions options;
    options.max_size = 8u << 20;
    auto store = openStore(path(), options);
    QVERIFY(store);
    for (int i = 0; i < 20; ++i) {
      QVERIFY(store->put(PutRequest{"k" + std::to_string(i), "v", ~uint64_t{0}, {"t", "u"}}));
    }
    QVERIFY(store->put(PutRequest{std::string(600, 'L'), "long", 0, {}}));
    store->flush();
    QCOMPARE(QString::fromStdString(store->verify()), QString());
  }

  void cleanup() { QDir(path()).removeRecursively(); }

  void aMissingAccessRow() {
    const std::string report = damage([](Txn& txn, const Dbis& dbis) {
      Cursor cursor;
      QCOMPARE(cursor.open(txn, dbis.access), 0);
      const auto first = cursor.get(MDB_FIRST);
      QVERIFY(first);
      const std::string row(first->key);
      cursor.close();
      QVERIFY(txn.del(dbis.access, row));
    });
    QVERIFY2(report.find("not in the access order") != std::string::npos, report.c_str());
    QVERIFY2(report.find("access: 20 rows, expected 21") != std::string::npos, report.c_str());
  }

  void aStrayTagRow() {
    const std::string report =
        damage([](Txn& txn, const Dbis& dbis) { QVERIFY(txn.put(dbis.tags, "t", "no-such-entry")); });
    QVERIFY2(report.find("tags: 41 rows, expected 40") != std::string::npos, report.c_str());
  }

  void aMissingExpiryRow() {
    const std::string report = damage([](Txn& txn, const Dbis& dbis) { QVERIFY(txn.clear(dbis.expiry)); });
    QVERIFY2(report.find("entry k0: not in the expiry index") != std::string::npos, report.c_str());
  }

  void aLongKeyWhoseRecordLies() {
    const std::string report = damage([](Txn& txn, const Dbis& dbis) {
      const StoredKey stored(std::string(600, 'L'));
      const auto record = txn.get(dbis.entries, stored.view());
      QVERIFY(record);
      std::string edited(*record);
      edited[20] = 'X';  // inside the whole key kept in the record
      QVERIFY(txn.put(dbis.entries, stored.view(), edited));
    });
    QVERIFY2(report.find("stored key does not match its key") != std::string::npos, report.c_str());
  }

  void wrongAccounting() {
    const std::string report = damage([](Txn& txn, const Dbis& dbis) {
      Accounting acct;
      QVERIFY(loadAccounting(txn, dbis, acct));
      acct.bytes += 1;
      QVERIFY(storeAccounting(txn, dbis, acct));
    });
    QVERIFY2(report.find("accounting:") != std::string::npos, report.c_str());
  }

 private:
  QString path() const { return dir_.path() + "/cache"; }

  // Applies `edit` in a write txn of its own, then returns what verify() says on reopening.
  std::string damage(const std::function<void(Txn&, const Dbis&)>& edit) {
    {
      Env env;
      EnvOptions options;
      options.map_size = 8u << 20;
      options.max_dbs = kMaxDbs;
      if (env.open(path().toStdString(), options) != 0) {
        return "cannot open";
      }
      Dbis dbis;
      Accounting acct;
      std::string error;
      if (!openSchema(env, dbis, acct, error)) {
        return error;
      }
      Txn txn;
      if (txn.begin(env.handle(), 0) != 0) {
        return "cannot begin";
      }
      edit(txn, dbis);
      if (txn.commit() != 0) {
        return "cannot commit";
      }
    }
    StoreOptions options;
    options.max_size = 8u << 20;
    auto store = openStore(path(), options);
    return store ? store->verify() : "cannot reopen";
  }

  QTemporaryDir dir_;
};

QTEST_APPLESS_MAIN(VerifyTest)
#include "verify_test.moc"
