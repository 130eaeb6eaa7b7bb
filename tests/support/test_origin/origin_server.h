#pragma once
// The test origin's listening socket and the set of live connections. Single-threaded: everything
// runs on the one uv loop given to the constructor. Lives for the whole process.

#include <uv.h>

#include <sys/socket.h>

#include <memory>
#include <string>
#include <unordered_map>

#include "tests/support/test_origin/origin_routes.h"

namespace sluice::test_origin {

class OriginConnection;

class OriginServer {
 public:
  OriginServer(uv_loop_t* loop, std::string id);
  ~OriginServer();
  OriginServer(const OriginServer&) = delete;
  OriginServer& operator=(const OriginServer&) = delete;

  // Binds and listens; returns 0 or a libuv error code.
  int listen(const std::string& host, int port);
  int boundPort() const;

  uv_loop_t* loop() const { return loop_; }
  const std::string& id() const { return id_; }
  OriginStats& stats() { return stats_; }
  OriginState& state() { return state_; }

  // Called by a connection once all its handles have closed: frees it.
  void remove(OriginConnection* connection);

  // Takes state().outage: stops listening (new connections are refused), drops idle connections,
  // and listens again on the same port after the outage's down time (repeating for a flap).
  void startOutage();
  bool refusing() const { return refusing_; }

 private:
  static void onConnection(uv_stream_t* listener, int status);
  static void onOutageTimer(uv_timer_t* timer);
  int bindAndListen();
  void goDown();
  void goUp();

  uv_loop_t* loop_;
  std::string id_;
  uv_tcp_t listener_;
  uv_timer_t outage_timer_;
  sockaddr_storage address_{};   // as bound (the real port once listening), for listening again
  bool listening_ = false;
  bool refusing_ = false;
  Outage outage_;
  OriginStats stats_;
  OriginState state_;
  std::unordered_map<OriginConnection*, std::unique_ptr<OriginConnection>> connections_;
};

}  // namespace sluice::test_origin
