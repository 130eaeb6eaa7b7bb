#include "engine/proxy/balancer.h"

#include <algorithm>
#include <string>

namespace sluice::proxy {
namespace {

constexpr int kPointsPerServer = 100;

}  // namespace

uint64_t stableHash(std::string_view data) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

Balancer::Balancer(config::Balance kind, std::vector<UpstreamServer>& servers) : kind_(kind), servers_(servers) {
  if (kind_ == config::Balance::ConsistentHash) {
    for (uint32_t i = 0; i < servers_.size(); ++i) {
      for (int p = 0; p < kPointsPerServer; ++p) {
        ring_.emplace_back(stableHash(servers_[i].name + "#" + std::to_string(p)), i);
      }
    }
    std::sort(ring_.begin(), ring_.end());
  }
}

bool Balancer::usable(const UpstreamServer& s, const UpstreamServer* exclude,
                      std::chrono::steady_clock::time_point now) const {
  return &s != exclude && !s.drained && !s.health_down && (!s.down || now >= s.down_until) &&
         s.breaker.admits(now);
}

UpstreamServer* Balancer::pick(const UpstreamServer* exclude, std::string_view hash_key,
                               std::chrono::steady_clock::time_point now) {
  switch (kind_) {
    case config::Balance::LeastConn: return pickLeastConn(exclude, now);
    case config::Balance::ConsistentHash: return pickHash(exclude, hash_key, now);
    case config::Balance::RoundRobin: break;
  }
  return pickRoundRobin(exclude, now);
}

UpstreamServer* Balancer::pickRoundRobin(const UpstreamServer* exclude, std::chrono::steady_clock::time_point now) {
  const size_t n = servers_.size();
  for (size_t i = 0; i < n; ++i) {
    UpstreamServer& s = servers_[(next_ + i) % n];
    if (usable(s, exclude, now)) {
      next_ = (next_ + i + 1) % n;
      return &s;
    }
  }
  return nullptr;
}

UpstreamServer* Balancer::pickLeastConn(const UpstreamServer* exclude, std::chrono::steady_clock::time_point now) {
  // Ties go round-robin so equal servers share the load.
  const size_t n = servers_.size();
  UpstreamServer* best = nullptr;
  size_t best_offset = 0;
  for (size_t i = 0; i < n; ++i) {
    UpstreamServer& s = servers_[(next_ + i) % n];
    if (usable(s, exclude, now) && (best == nullptr || s.active < best->active)) {
      best = &s;
      best_offset = i;
    }
  }
  if (best != nullptr) {
    next_ = (next_ + best_offset + 1) % n;
  }
  return best;
}

UpstreamServer* Balancer::pickHash(const UpstreamServer* exclude, std::string_view key,
                                   std::chrono::steady_clock::time_point now) {
  if (ring_.empty()) {
    return nullptr;
  }
  const uint64_t h = stableHash(key);
  auto it = std::lower_bound(ring_.begin(), ring_.end(), std::make_pair(h, uint32_t{0}));
  for (size_t step = 0; step < ring_.size(); ++step, ++it) {
    if (it == ring_.end()) {
      it = ring_.begin();
    }
    UpstreamServer& s = servers_[it->second];
    if (usable(s, exclude, now)) {
      return &s;
    }
  }
  return nullptr;
}

}  // namespace sluice::proxy
