#include <QTemporaryDir>
#include <QtTest>
#include <optional>
#include <string>

#include "storage/lmdb_cursor.h"
#include "storage/lmdb_env.h"
#include "storage/lmdb_txn.h"

using namespace sluice::storage;

class LmdbWrappersTest : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    QVERIFY(dir_.isValid());
    EnvOptions options;
    options.map_size = 4u << 20;
    options.max_dbs = 2;
    options.flags = MDB_NOTLS | MDB_NOSYNC;
    QCOMPARE(env_.open(dir_.path().toStdString(), options), 0);
    Txn txn;
    QCOMPARE(txn.begin(env_.handle(), 0), 0);
    QCOMPARE(txn.openDbi("plain", MDB_CREATE, plain_), 0);
    QCOMPARE(txn.openDbi("dups", MDB_CREATE | MDB_DUPSORT, dups_), 0);
    QCOMPARE(txn.commit(), 0);
  }

  void cleanup() { env_.close(); }

  void openFailsWithACode() {
    Env env;
    EnvOptions options;
    options.map_size = 1u << 20;
    QVERIFY(env.open("/nonexistent/dir/for/sure", options) != 0);
    QVERIFY(!env);
  }

  void notFoundIsAnEmptyOptionalNotAnError() {
    Txn txn;
    QCOMPARE(txn.begin(env_.handle(), MDB_RDONLY), 0);
    QVERIFY(!txn.get(plain_, "missing").has_value());
    QVERIFY(!txn.failed());
  }

  void putGetDelCommit() {
    {
      Txn txn;
      QCOMPARE(txn.begin(env_.handle(), 0), 0);
      QVERIFY(txn.put(plain_, "a", "1"));
      char* out = txn.reserve(plain_, "b", 3);
      QVERIFY(out != nullptr);
      std::memcpy(out, "two", 3);
      QCOMPARE(txn.get(plain_, "a").value(), std::string_view("1"));
      QVERIFY(txn.del(plain_, "a"));
      QVERIFY(!txn.del(plain_, "a"));  // already gone: not an error
      QVERIFY(!txn.failed());
      QCOMPARE(txn.commit(), 0);
      QVERIFY(!txn);
    }
    QVERIFY(!committed("a"));
    QCOMPARE(committed("b"), std::optional<std::string>("two"));
  }

  void destructorAborts() {
    {
      Txn txn;
      QCOMPARE(txn.begin(env_.handle(), 0), 0);
      QVERIFY(txn.put(plain_, "gone", "x"));
    }
    QVERIFY(!committed("gone"));
  }

  void errorsAreStickyAndCommitRefuses() {
    Txn txn;
    QCOMPARE(txn.begin(env_.handle(), 0), 0);
    QVERIFY(!txn.put(plain_, std::string(600, 'k'), "too long a key"));
    QCOMPARE(txn.error(), MDB_BAD_VALSIZE);
    QVERIFY(txn.put(plain_, "later", "x") || txn.failed());
    QCOMPARE(txn.commit(), MDB_BAD_VALSIZE);
    QVERIFY(!committed("later"));
  }

  void movesTransferOwnership() {
    Txn a;
    QCOMPARE(a.begin(env_.handle(), 0), 0);
    QVERIFY(a.put(plain_, "moved", "y"));
    Txn b(std::move(a));
    QVERIFY(!a);
    QVERIFY(b);
    Txn c;
    c = std::move(b);
    QCOMPARE(c.commit(), 0);
    QVERIFY(committed("moved"));
  }

  void resetAndRenewSeeNewCommits() {
    Txn read;
    QCOMPARE(read.begin(env_.handle(), MDB_RDONLY), 0);
    QVERIFY(!read.get(plain_, "fresh"));
    read.reset();
    Txn write;
    QCOMPARE(write.begin(env_.handle(), 0), 0);
    QVERIFY(write.put(plain_, "fresh", "z"));
    QCOMPARE(write.commit(), 0);
    QCOMPARE(read.renew(), 0);
    QVERIFY(read.get(plain_, "fresh"));
  }

  void cursorWalksRangesAndDuplicates() {
    Txn txn;
    QCOMPARE(txn.begin(env_.handle(), 0), 0);
    for (const char* k : {"p/1", "p/2", "q/1"}) {
      QVERIFY(txn.put(plain_, k, "v"));
    }
    for (const char* v : {"x", "y", "z"}) {
      QVERIFY(txn.put(dups_, "tag", v));
    }
    {
      Cursor cursor;
      QCOMPARE(cursor.open(txn, plain_), 0);
      auto row = cursor.seek(MDB_SET_RANGE, "p/");
      QVERIFY(row);
      QCOMPARE(row->key, std::string_view("p/1"));
      row = cursor.get(MDB_NEXT);
      QCOMPARE(row->key, std::string_view("p/2"));
      row = cursor.get(MDB_NEXT);
      QCOMPARE(row->key, std::string_view("q/1"));
      QVERIFY(!cursor.get(MDB_NEXT));
      QVERIFY(!cursor.seek(MDB_SET_RANGE, "r"));

      Cursor dups;
      QCOMPARE(dups.open(txn, dups_), 0);
      std::string seen;
      for (auto d = dups.seek(MDB_SET_KEY, "tag"); d; d = dups.get(MDB_NEXT_DUP)) {
        seen += d->value;
      }
      QCOMPARE(seen, std::string("xyz"));
      QCOMPARE(dups.seek(MDB_GET_BOTH_RANGE, "tag", "xx")->value, std::string_view("y"));
    }
    QVERIFY(!txn.failed());
    QCOMPARE(txn.stat(dups_).ms_entries, size_t{3});
    QVERIFY(txn.del(dups_, "tag", "y"));
    QCOMPARE(txn.stat(dups_).ms_entries, size_t{2});
    QVERIFY(txn.clear(plain_));
    QCOMPARE(txn.stat(plain_).ms_entries, size_t{0});
    QCOMPARE(txn.commit(), 0);
  }

 private:
  // The value of `key` in a fresh read txn: what the last commit left.
  std::optional<std::string> committed(std::string_view key) {
    Txn read;
    if (read.begin(env_.handle(), MDB_RDONLY) != 0) {
      return std::nullopt;
    }
    const auto value = read.get(plain_, key);
    return value ? std::optional<std::string>(*value) : std::nullopt;
  }

  QTemporaryDir dir_;
  Env env_;
  MDB_dbi plain_ = 0;
  MDB_dbi dups_ = 0;
};

QTEST_APPLESS_MAIN(LmdbWrappersTest)
#include "lmdb_wrappers_test.moc"
