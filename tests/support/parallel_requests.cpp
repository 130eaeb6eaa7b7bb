#include "tests/support/parallel_requests.h"

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/support/raw_http_client.h"

namespace sluice::test {

ParallelResult sendInParallel(int port, int connections, int per_connection,
                              const std::function<QByteArray(int connection, int i)>& request, const QString& host) {
  ParallelResult result;
  std::mutex mutex;
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      RawHttpClient client;
      ParallelResult mine;
      bool connected = client.connect(port, host);
      // Start together, so the requests really overlap.
      ready.fetch_add(1);
      while (ready.load() < connections) {
        std::this_thread::yield();
      }
      for (int i = 0; i < per_connection; ++i) {
        if (!connected) {
          connected = client.connect(port, host);
        }
        HttpResponse response;
        if (connected && client.send(request(c, i))) {
          response = client.readResponse(15000);
        }
        if (response.status == 0) {
          ++mine.failures;
          connected = false;
          continue;
        }
        ++mine.by_status[response.status];
        if (response.closed_after) {
          connected = false;
        }
      }
      std::lock_guard<std::mutex> lock(mutex);
      for (auto it = mine.by_status.begin(); it != mine.by_status.end(); ++it) {
        result.by_status[it.key()] += it.value();
      }
      result.failures += mine.failures;
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  return result;
}

}  // namespace sluice::test
