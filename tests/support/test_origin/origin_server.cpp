#include "tests/support/test_origin/origin_server.h"

#include <netinet/in.h>

#include <cstdio>

#include "tests/support/test_origin/origin_connection.h"

namespace sluice::test_origin {

OriginServer::OriginServer(uv_loop_t* loop, std::string id) : loop_(loop), id_(std::move(id)) {
  uv_tcp_init(loop_, &listener_);
  listener_.data = this;
}

OriginServer::~OriginServer() = default;

int OriginServer::listen(const std::string& host, int port) {
  sockaddr_storage addr{};
  int rc = uv_ip4_addr(host.c_str(), port, reinterpret_cast<sockaddr_in*>(&addr));
  if (rc != 0) {
    rc = uv_ip6_addr(host.c_str(), port, reinterpret_cast<sockaddr_in6*>(&addr));
  }
  if (rc != 0) {
    return rc;
  }
  rc = uv_tcp_bind(&listener_, reinterpret_cast<const sockaddr*>(&addr), 0);
  if (rc != 0) {
    return rc;
  }
  return uv_listen(reinterpret_cast<uv_stream_t*>(&listener_), 1024, &OriginServer::onConnection);
}

int OriginServer::boundPort() const {
  sockaddr_storage addr{};
  int length = sizeof(addr);
  if (uv_tcp_getsockname(&listener_, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
    return -1;
  }
  if (addr.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in*>(&addr)->sin_port);
}

void OriginServer::remove(OriginConnection* connection) {
  --stats_.active_connections;
  connections_.erase(connection);
}

void OriginServer::onConnection(uv_stream_t* listener, int status) {
  auto* self = static_cast<OriginServer*>(listener->data);
  if (status < 0) {
    std::fprintf(stderr, "accept failed: %s\n", uv_strerror(status));
    return;
  }
  auto connection = std::make_unique<OriginConnection>(*self);
  OriginConnection* raw = connection.get();
  self->connections_.emplace(raw, std::move(connection));
  ++self->stats_.connections_accepted;
  ++self->stats_.active_connections;
  raw->accept(listener);
}

}  // namespace sluice::test_origin
