#pragma once
// The old node's side of a binary upgrade (SIGUSR2; docs/resilience.md, "Binary upgrade"): starts
// the node's own command line again (the executable path as it was at start-up, so a new binary
// installed there is the one that runs) with every listening socket open and their map in
// SLUICE_INHERITED_FDS (inherited_sockets.h), and waits for the new node's "ready" line on a pipe.
// `ready(pid)` then says the old node may drain; `failed(reason)` says it keeps serving (the new
// process exited, or was not ready within the time limit and was stopped).
//
// Owns the uv_process_t, the pipe and the timer, each freed in its uv_close callback, so the object
// may be destroyed right after close(). Control thread only. Closing does not stop the new node.

#include <sys/types.h>
#include <uv.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/timer.h"

namespace sluice::node {

class BinaryUpgrade {
 public:
  struct Sockets {
    int control = -1;
    int admin = -1;
    std::vector<std::pair<std::string, int>> listeners;  // listener name, one of its sockets
  };
  using Ready = std::function<void(pid_t pid)>;
  using Failed = std::function<void(const std::string& reason)>;

  static constexpr uint64_t kReadyTimeoutMs = 60'000;

  BinaryUpgrade(uv_loop_t* loop, Ready ready, Failed failed);
  ~BinaryUpgrade();
  BinaryUpgrade(const BinaryUpgrade&) = delete;
  BinaryUpgrade& operator=(const BinaryUpgrade&) = delete;

  // `command[0]` is the executable. False with `error` when the process cannot be started.
  bool start(const std::vector<std::string>& command, const Sockets& sockets, std::string& error);
  void close();

 private:
  void onRead(ssize_t nread, const uv_buf_t* buf);
  void onExit(int64_t status, int signal);
  void fail(const std::string& reason);

  uv_loop_t* loop_;
  Ready ready_;
  Failed failed_;
  uv_process_t* process_ = nullptr;
  uv_pipe_t* pipe_ = nullptr;
  core::Timer* timer_ = nullptr;
  pid_t pid_ = 0;
  bool decided_ = false;  // ready or failed was called
  char buffer_[64] = {};
};

}  // namespace sluice::node
