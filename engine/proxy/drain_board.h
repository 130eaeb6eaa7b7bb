#pragma once
// Which upstream servers an operator has drained (`sluice ctl upstreams drain`): run-time state, not
// config, so it is keyed by names (upstream name, server "host:port" as configured) and survives
// reloads while the server stays in the config. One per node, shared by every worker.
// Written by the control thread, read by workers: writes and full reads take a mutex, but the
// request path only compares generation() (one atomic load) with the value it last saw, and
// re-reads the flags into its own UpstreamServer structs when it moved.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace sluice::proxy {

class DrainBoard {
 public:
  // Any thread. A change (drained -> undrained or back) moves generation(); setting a flag to the
  // value it already has does not.
  void setDrained(std::string_view upstream, std::string_view server, bool drained);
  bool drained(std::string_view upstream, std::string_view server) const;

  // Any thread, lock-free: a number that moves on every change of any flag.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  // upstream name -> drained server names; an upstream with none drained has no entry.
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> drained_;  // guarded by mutex_
  std::atomic<uint64_t> generation_{0};
};

using DrainBoardPtr = std::shared_ptr<DrainBoard>;

}  // namespace sluice::proxy
