// Microbenchmark for the cache store: ns per Reader::get hit on 1 KiB values (one thread, and one
// per core), and puts/s with and without fsync. Not a test: `ninja -C build storage_bench &&
// build/bin/storage_bench [DIR]` (DIR defaults to a fresh directory under /tmp).

#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "storage/cache_store.h"

using namespace sluice::storage;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kEntries = 100'000;
constexpr size_t kValueSize = 1024;

std::string keyFor(size_t i) {
  return "https://example.com/assets/" + std::to_string(i) + "?v=3";
}

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// CPU time of this thread or of the process: the machine may be shared, and wall time then
// measures the neighbours too.
double cpuSeconds(clockid_t clock = CLOCK_THREAD_CPUTIME_ID) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct GetTiming {
  double wall_ns = 0;
  double cpu_ns = 0;
};

CacheStorePtr openStore(const std::string& dir, bool sync) {
  std::filesystem::remove_all(dir);
  StoreOptions options;
  options.path = dir;
  options.max_size = 1ull << 30;
  options.sync = sync;
  std::string error;
  auto store = CacheStore::open(options, error);
  if (!store) {
    std::fprintf(stderr, "open: %s\n", error.c_str());
    std::exit(1);
  }
  return store;
}

void benchPuts(const std::string& dir, bool sync, size_t count) {
  auto store = openStore(dir, sync);
  const std::string value(kValueSize, 'v');
  const auto start = Clock::now();
  const double cpu_start = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
  size_t accepted = 0;
  for (size_t i = 0; i < count; ++i) {
    accepted += store->put(PutRequest{keyFor(i), value, 0, {"tag" + std::to_string(i % 100)}}) ? 1 : 0;
    if (accepted % 20000 == 0) {
      store->flush();  // stay under max_pending_bytes
    }
  }
  store->flush();
  const double elapsed = seconds(Clock::now() - start);
  const double cpu = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
  const StoreStats stats = store->stats();
  std::printf(
      "puts (1 KiB, 1 tag, sync=%s): %.0f puts/s wall, %.1f us CPU per put (caller + writer)  "
      "(%llu stored, %llu batches, %llu dropped)\n",
      sync ? "on " : "off", static_cast<double>(count) / elapsed, cpu * 1e6 / static_cast<double>(count),
      static_cast<unsigned long long>(stats.stores), static_cast<unsigned long long>(stats.write_batches),
      static_cast<unsigned long long>(stats.dropped));
}

// Lookups cycle through `key_count` random keys: a few are a hot set that stays in the CPU caches;
// all of them make every get miss the caches and the TLB on its way down the B-tree.
GetTiming benchGets(CacheStore& store, size_t lookups, size_t key_count, unsigned seed) {
  auto reader = store.reader();
  std::vector<std::string> keys;
  keys.reserve(key_count);
  std::mt19937 rng(seed);
  for (size_t i = 0; i < key_count; ++i) {
    keys.push_back(keyFor(rng() % kEntries));
  }
  size_t bytes = 0;
  const auto start = Clock::now();
  const double cpu_start = cpuSeconds();
  for (size_t i = 0; i < lookups; ++i) {
    const ReadView view = reader->get(keys[i % keys.size()]);
    bytes += view.found() ? static_cast<unsigned char>(view.value()[i % kValueSize]) : 0;
  }
  const double cpu = cpuSeconds() - cpu_start;
  const double elapsed = seconds(Clock::now() - start);
  if (bytes == 0) {
    std::fprintf(stderr, "no hits\n");
  }
  const auto n = static_cast<double>(lookups);
  return GetTiming{elapsed * 1e9 / n, cpu * 1e9 / n};
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "/tmp/sluice-storage-bench-" + std::to_string(::getpid());
  benchPuts(dir, true, 100'000);
  benchPuts(dir, false, 200'000);

  auto store = openStore(dir, false);
  const std::string value(kValueSize, 'v');
  for (size_t i = 0; i < kEntries; ++i) {
    while (!store->put(PutRequest{keyFor(i), value, 0, {}})) {
      store->flush();
    }
  }
  store->flush();
  benchGets(*store, 500'000, kEntries, 1);  // warm-up: maps the pages
  for (const size_t key_count : {size_t{64}, size_t{4096}, kEntries}) {
    const GetTiming one = benchGets(*store, 2'000'000, key_count, 2);
    std::printf("get hit (1 KiB, %zu entries, %zu distinct keys, 1 thread): %.0f ns CPU, %.0f ns wall\n",
                kEntries, key_count, one.cpu_ns, one.wall_ns);
  }
  const unsigned threads = std::max(2u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  std::vector<GetTiming> ns(threads);
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] { ns[t] = benchGets(*store, 1'000'000, 64, 10 + t); });
  }
  for (auto& t : pool) {
    t.join();
  }
  GetTiming sum;
  for (const GetTiming& t : ns) {
    sum.cpu_ns += t.cpu_ns / threads;
    sum.wall_ns += t.wall_ns / threads;
  }
  std::printf("get hit (1 KiB, 64 distinct keys, %u threads at once): %.0f ns CPU, %.0f ns wall per get\n",
              threads, sum.cpu_ns, sum.wall_ns);
  store.reset();
  std::filesystem::remove_all(dir);
  return 0;
}
