#pragma once
// The results of the active health checks (HealthChecker), one per node, shared by every worker like
// the DrainBoard: keyed by names (upstream name, server "host:port" as configured), written by the
// control thread, read by workers. Writes and full reads take a mutex; the request path only compares
// generation() (one atomic load) with the value it last saw, and re-reads the states into its own
// UpstreamServer structs when it moved. A server without an entry is not checked (always usable).

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace sluice::proxy {

enum class HealthState { Unchecked, Up, Down };

std::string_view healthStateName(HealthState state);

class HealthBoard {
 public:
  // Any thread. A change moves generation(); setting the state a server already has does not.
  void set(std::string_view upstream, std::string_view server, HealthState state);
  HealthState get(std::string_view upstream, std::string_view server) const;
  // Drops every entry of `upstream` that `keep` says no to (checks removed by a reload).
  template <typename Keep>
  void retain(std::string_view upstream, Keep keep);

  // Any thread, lock-free: a number that moves on every change.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::map<std::string, HealthState, std::less<>>, std::less<>> states_;  // guarded
  std::atomic<uint64_t> generation_{0};
};

template <typename Keep>
void HealthBoard::retain(std::string_view upstream, Keep keep) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = states_.find(upstream);
  if (it == states_.end()) {
    return;
  }
  bool changed = false;
  for (auto s = it->second.begin(); s != it->second.end();) {
    if (keep(s->first)) {
      ++s;
    } else {
      s = it->second.erase(s);
      changed = true;
    }
  }
  if (it->second.empty()) {
    states_.erase(it);
  }
  if (changed) {
    generation_.fetch_add(1, std::memory_order_release);
  }
}

using HealthBoardPtr = std::shared_ptr<HealthBoard>;

}  // namespace sluice::proxy
