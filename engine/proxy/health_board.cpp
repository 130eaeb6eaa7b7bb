#include "engine/proxy/health_board.h"

namespace sluice::proxy {

std::string_view healthStateName(HealthState state) {
  switch (state) {
    case HealthState::Up: return "up";
    case HealthState::Down: return "down";
    case HealthState::Unchecked: break;
  }
  return "unchecked";
}

void HealthBoard::set(std::string_view upstream, std::string_view server, HealthState state) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = states_.find(upstream);
  if (state == HealthState::Unchecked) {
    if (it == states_.end() || it->second.erase(std::string(server)) == 0) {
      return;
    }
    if (it->second.empty()) {
      states_.erase(it);
    }
  } else {
    if (it == states_.end()) {
      it = states_.emplace(std::string(upstream), std::map<std::string, HealthState, std::less<>>{}).first;
    }
    auto [s, inserted] = it->second.emplace(std::string(server), state);
    if (!inserted) {
      if (s->second == state) {
        return;
      }
      s->second = state;
    }
  }
  // Release: a worker that sees the new generation also sees the states written before it.
  generation_.fetch_add(1, std::memory_order_release);
}

HealthState HealthBoard::get(std::string_view upstream, std::string_view server) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = states_.find(upstream);
  if (it == states_.end()) {
    return HealthState::Unchecked;
  }
  auto s = it->second.find(server);
  return s == it->second.end() ? HealthState::Unchecked : s->second;
}

}  // namespace sluice::proxy
