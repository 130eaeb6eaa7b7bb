#include "engine/proxy/drain_board.h"

namespace sluice::proxy {

void DrainBoard::setDrained(std::string_view upstream, std::string_view server, bool drained) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = drained_.find(upstream);
  if (drained) {
    if (it == drained_.end()) {
      it = drained_.emplace(std::string(upstream), std::set<std::string, std::less<>>{}).first;
    }
    if (!it->second.emplace(server).second) {
      return;
    }
  } else {
    if (it == drained_.end()) {
      return;
    }
    auto s = it->second.find(server);
    if (s == it->second.end()) {
      return;
    }
    it->second.erase(s);
    if (it->second.empty()) {
      drained_.erase(it);
    }
  }
  // Release: a worker that sees the new generation also sees the flags written before it.
  generation_.fetch_add(1, std::memory_order_release);
}

bool DrainBoard::drained(std::string_view upstream, std::string_view server) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = drained_.find(upstream);
  return it != drained_.end() && it->second.find(server) != it->second.end();
}

}  // namespace sluice::proxy
