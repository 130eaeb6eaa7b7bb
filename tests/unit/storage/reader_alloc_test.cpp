// The hit path allocates nothing: Reader::get renews a kept txn, builds the stored key on the
// stack, and hands out a view into the map. Counted by interposing malloc/calloc/realloc for this
// thread (not in sanitizer builds, which interpose them themselves).

#include <QTemporaryDir>
#include <QtTest>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "storage/cache_store.h"
#include "tests/unit/storage/store_fixture.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SLUICE_COUNT_ALLOCATIONS 0
#else
#define SLUICE_COUNT_ALLOCATIONS 1
extern "C" void* __libc_malloc(size_t size);
extern "C" void* __libc_calloc(size_t count, size_t size);
extern "C" void* __libc_realloc(void* ptr, size_t size);

namespace {
thread_local bool t_counting = false;  // static TLS in the executable: reading it cannot allocate
thread_local uint64_t t_allocations = 0;
}  // namespace

extern "C" void* malloc(size_t size) {
  t_allocations += t_counting ? 1 : 0;
  return __libc_malloc(size);
}
extern "C" void* calloc(size_t count, size_t size) {
  t_allocations += t_counting ? 1 : 0;
  return __libc_calloc(count, size);
}
extern "C" void* realloc(void* ptr, size_t size) {
  t_allocations += t_counting ? 1 : 0;
  return __libc_realloc(ptr, size);
}
#endif

using namespace sluice::storage;
using namespace sluice::storage::testing;

class ReaderAllocTest : public QObject {
  Q_OBJECT

 private slots:
  void lookupsDoNotAllocate() {
#if SLUICE_COUNT_ALLOCATIONS
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    StoreOptions options;
    options.max_size = 16u << 20;
    options.sync = false;
    auto store = openStore(dir.path() + "/cache", options);
    QVERIFY(store);
    std::vector<std::string> keys;
    for (int i = 0; i < 200; ++i) {
      keys.push_back("https://example.com/" + std::to_string(i));
      QVERIFY(store->put(PutRequest{keys.back(), std::string(1024, 'v'), 0, { "t" }}));
    }
    const std::string long_key(2000, 'L');
    QVERIFY(store->put(PutRequest{long_key, "long", 0, {}}));
    store->flush();
    auto reader = store->reader();
    QVERIFY(reader->get(keys[0]).found());  // first use: nothing lazily set up inside the timing
    QVERIFY(reader->get(long_key).found());

    t_allocations = 0;
    t_counting = true;
    size_t found = 0;
    for (int round = 0; round < 10; ++round) {
      for (const auto& key : keys) {
        const ReadView view = reader->get(key);
        found += view.found() && view.value().size() == 1024 ? 1 : 0;
      }
      found += reader->get("https://example.com/missing").found() ? 1 : 0;
    }
    t_counting = false;
    QCOMPARE(found, size_t{2000});
    QCOMPARE(t_allocations, uint64_t{0});

    // Long keys hash with OpenSSL's EVP interface, which may allocate: measured, not promised.
    t_allocations = 0;
    t_counting = true;
    const bool long_found = reader->get(long_key).found();
    t_counting = false;
    QVERIFY(long_found);
    qInfo("allocations per long-key lookup: %llu", static_cast<unsigned long long>(t_allocations));
#else
    QSKIP("sanitizer builds interpose malloc themselves");
#endif
  }
};

QTEST_APPLESS_MAIN(ReaderAllocTest)
#include "reader_alloc_test.moc"
