#pragma once
// The test origin's listening socket and the set of live connections. Single-threaded: everything
// runs on the one uv loop given to the constructor. Lives for the whole process.

#include <uv.h>

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

 private:
  static void onConnection(uv_stream_t* listener, int status);

  uv_loop_t* loop_;
  std::string id_;
  uv_tcp_t listener_;
  OriginStats stats_;
  OriginState state_;
  std::unordered_map<OriginConnection*, std::unique_ptr<OriginConnection>> connections_;
};

}  // namespace sluice::test_origin
