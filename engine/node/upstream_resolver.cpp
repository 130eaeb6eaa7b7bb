#include "engine/node/upstream_resolver.h"

#include <netdb.h>

#include <cstring>

#include <fmt/format.h>

namespace sluice::node {

bool resolveUpstreams(const config::Config& config, server::ResolvedUpstreams& out, std::vector<std::string>& errors) {
  out.clear();
  for (const config::UpstreamConfig& u : config.upstreams) {
    std::vector<sockaddr_storage>& addresses = out[u.name];
    for (const config::Address& a : u.servers) {
      std::string host = a.host;
      if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
      }
      addrinfo hints{};
      hints.ai_family = AF_UNSPEC;
      hints.ai_socktype = SOCK_STREAM;
      addrinfo* result = nullptr;
      const std::string port = std::to_string(a.port);
      const int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &result);
      sockaddr_storage storage{};
      if (rc != 0 || result == nullptr) {
        errors.push_back(fmt::format("{}:{}: upstream {}: cannot resolve {}: {}", u.where.file, u.where.line, u.name,
                                     a.host, gai_strerror(rc)));
      } else {
        std::memcpy(&storage, result->ai_addr, result->ai_addrlen);
      }
      if (result != nullptr) {
        freeaddrinfo(result);
      }
      addresses.push_back(storage);
    }
  }
  return errors.empty();
}

}  // namespace sluice::node
