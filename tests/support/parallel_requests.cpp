#include "tests/support/parallel_requests.h"

#include <memory>
#include <vector>

#include "tests/support/raw_http_client.h"

namespace sluice::test {

ParallelResult sendInParallel(int port, int connections, int per_connection,
                              const std::function<QByteArray(int connection, int i)>& request, const QString& host) {
  ParallelResult result;
  std::vector<std::unique_ptr<RawHttpClient>> clients;
  for (int c = 0; c < connections; ++c) {
    clients.push_back(std::make_unique<RawHttpClient>());
  }
  std::vector<bool> sent(static_cast<size_t>(connections));
  for (int i = 0; i < per_connection; ++i) {
    for (int c = 0; c < connections; ++c) {
      RawHttpClient& client = *clients[static_cast<size_t>(c)];
      const bool connected = client.isConnected() || client.connect(port, host);
      sent[static_cast<size_t>(c)] = connected && client.send(request(c, i));
    }
    for (int c = 0; c < connections; ++c) {
      RawHttpClient& client = *clients[static_cast<size_t>(c)];
      const HttpResponse response = sent[static_cast<size_t>(c)] ? client.readResponse(15000) : HttpResponse{};
      if (response.status == 0) {
        ++result.failures;
        client.close();
        continue;
      }
      ++result.by_status[response.status];
      if (response.closed_after) {
        client.close();
      }
    }
  }
  return result;
}

}  // namespace sluice::test
