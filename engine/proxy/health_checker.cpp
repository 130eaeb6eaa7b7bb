#include "engine/proxy/health_checker.h"

#include <algorithm>

namespace sluice::proxy {

void HealthChecker::configure(const config::Config& config,
                              const std::map<std::string, std::vector<sockaddr_storage>>& addresses) {
  std::vector<std::unique_ptr<HealthProbe>> next;
  for (const config::UpstreamConfig& u : config.upstreams) {
    auto resolved = addresses.find(u.name);
    if (!u.health_check || resolved == addresses.end()) {
      board_->retain(u.name, [](std::string_view) { return false; });
      continue;
    }
    for (size_t i = 0; i < u.servers.size() && i < resolved->second.size(); ++i) {
      const std::string& server = u.servers[i].text;
      const sockaddr_storage& address = resolved->second[i];
      auto same = std::find_if(probes_.begin(), probes_.end(), [&](const std::unique_ptr<HealthProbe>& p) {
        return p && p->upstream() == u.name && p->server() == server && p->sameTarget(address, *u.health_check);
      });
      if (same != probes_.end()) {
        next.push_back(std::move(*same));
      } else {
        next.push_back(std::make_unique<HealthProbe>(loop_, *board_, u.name, server, address, *u.health_check));
      }
    }
    board_->retain(u.name, [&u](std::string_view server) {
      return std::any_of(u.servers.begin(), u.servers.end(), [&](const config::Address& a) { return a.text == server; });
    });
  }
  // Upstreams removed from the config: their servers leave the board.
  for (const std::unique_ptr<HealthProbe>& p : probes_) {
    if (p && config.findUpstream(p->upstream()) == nullptr) {
      board_->retain(p->upstream(), [](std::string_view) { return false; });
    }
  }
  probes_ = std::move(next);  // the probes left behind are destroyed (their handles closed)
}

}  // namespace sluice::proxy
