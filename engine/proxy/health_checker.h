#pragma once
// Runs the active health checks of every upstream that has a `health_check` (one HealthProbe per
// server) on the control thread's loop and publishes their results on the node's HealthBoard.
// configure() is called at start-up and on every reload: probes whose server, address and check are
// unchanged keep running (and their counts); the others are replaced; servers no longer checked
// are removed from the board (usable again). Control thread only.

#include <uv.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/proxy/health_board.h"
#include "engine/proxy/health_probe.h"

namespace sluice::proxy {

class HealthChecker {
 public:
  HealthChecker(uv_loop_t* loop, HealthBoardPtr board) : loop_(loop), board_(std::move(board)) {}

  // `addresses` holds the resolved addresses of each upstream's servers, in config order.
  void configure(const config::Config& config, const std::map<std::string, std::vector<sockaddr_storage>>& addresses);
  // Stops every probe (node shutdown).
  void stop() { probes_.clear(); }

 private:
  uv_loop_t* loop_;
  HealthBoardPtr board_;
  std::vector<std::unique_ptr<HealthProbe>> probes_;
};

}  // namespace sluice::proxy
