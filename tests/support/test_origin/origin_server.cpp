#include "tests/support/test_origin/origin_server.h"

#include <netinet/in.h>

#include <cstdio>
#include <vector>

#include "tests/support/test_origin/origin_connection.h"

namespace sluice::test_origin {

OriginServer::OriginServer(uv_loop_t* loop, std::string id) : loop_(loop), id_(std::move(id)) {
  uv_tcp_init(loop_, &listener_);
  listener_.data = this;
  uv_timer_init(loop_, &outage_timer_);
  outage_timer_.data = this;
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
  address_ = addr;
  rc = bindAndListen();
  if (rc == 0) {
    // Listening again after an outage must take the same port, not a new free one.
    int length = sizeof(address_);
    uv_tcp_getsockname(&listener_, reinterpret_cast<sockaddr*>(&address_), &length);
  }
  return rc;
}

int OriginServer::bindAndListen() {
  int rc = uv_tcp_bind(&listener_, reinterpret_cast<const sockaddr*>(&address_), 0);
  if (rc != 0) {
    return rc;
  }
  rc = uv_listen(reinterpret_cast<uv_stream_t*>(&listener_), 1024, &OriginServer::onConnection);
  listening_ = rc == 0;
  return rc;
}

void OriginServer::startOutage() {
  if (!state_.outage) {
    return;
  }
  outage_ = *state_.outage;
  state_.outage.reset();
  if (outage_.cycles == 0) {
    return;
  }
  goDown();
}

void OriginServer::goDown() {
  refusing_ = true;
  if (listening_) {
    listening_ = false;
    uv_close(reinterpret_cast<uv_handle_t*>(&listener_), nullptr);
  }
  std::vector<OriginConnection*> open;
  for (auto& [raw, owned] : connections_) {
    open.push_back(raw);
  }
  for (OriginConnection* c : open) {
    c->dropIfIdle();
  }
  uv_timer_start(&outage_timer_, &OriginServer::onOutageTimer, outage_.down_ms, 0);
}

void OriginServer::goUp() {
  refusing_ = false;
  // The close callback of the old handle has run: a timer fires in a later loop iteration.
  uv_tcp_init(loop_, &listener_);
  listener_.data = this;
  if (const int rc = bindAndListen(); rc != 0) {
    std::fprintf(stderr, "listening again failed: %s\n", uv_strerror(rc));
  }
  if (--outage_.cycles > 0) {
    uv_timer_start(&outage_timer_, &OriginServer::onOutageTimer, outage_.up_ms, 0);
  }
}

void OriginServer::onOutageTimer(uv_timer_t* timer) {
  auto* self = static_cast<OriginServer*>(timer->data);
  if (self->refusing_) {
    self->goUp();
  } else {
    self->goDown();
  }
}

int OriginServer::boundPort() const {
  if (address_.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&address_)->sin6_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in*>(&address_)->sin_port);
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
