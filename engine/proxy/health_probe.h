#pragma once
// The active health check of one upstream server (docs/resilience.md, "Active health checks"):
// every `interval`, a fresh connection sends `GET path HTTP/1.1` with `Connection: close`; the check
// passes when the status line arrives within `timeout` with an expected status. `fall` failures in
// a row mark the server down on the HealthBoard, `rise` passes in a row mark it up again; each change
// is logged. Runs on the control thread's loop, never blocks it (libuv connect/write/read and a
// timeout timer). Owns its two timers and the connection of the check in progress; all are closed
// by the destructor (they free themselves in their uv_close callbacks, and no callback fires after).

#include <sys/socket.h>

#include <string>

#include "engine/config/config.h"
#include "engine/core/tcp_stream.h"
#include "engine/core/timer.h"
#include "engine/proxy/health_board.h"

namespace sluice::proxy {

class HealthProbe final : public core::StreamHandler {
 public:
  static constexpr size_t kMaxStatusLine = 1024;  // more bytes without a status line: a failed check

  HealthProbe(uv_loop_t* loop, HealthBoard& board, std::string upstream, std::string server,
              const sockaddr_storage& address, config::HealthCheckConfig config);
  ~HealthProbe() override;
  HealthProbe(const HealthProbe&) = delete;
  HealthProbe& operator=(const HealthProbe&) = delete;

  const std::string& upstream() const { return upstream_; }
  const std::string& server() const { return server_; }
  const config::HealthCheckConfig& config() const { return config_; }
  bool sameTarget(const sockaddr_storage& address, const config::HealthCheckConfig& config) const;

  // core::StreamHandler
  void onStreamData(const char* data, size_t length) override;
  void onStreamEnd(int status) override;

 private:
  static void onConnect(void* context, int status);
  void check();
  void finish(bool passed, const std::string& why);
  void closeStream();

  uv_loop_t* loop_;
  HealthBoard& board_;
  const std::string upstream_;
  const std::string server_;
  const sockaddr_storage address_;
  const config::HealthCheckConfig config_;
  const std::string request_;
  core::Timer* interval_timer_;
  core::Timer* timeout_timer_;
  core::TcpStream* stream_ = nullptr;  // the check in progress
  std::string received_;
  uint32_t passes_ = 0;
  uint32_t failures_ = 0;
  bool up_ = true;
};

}  // namespace sluice::proxy
