#pragma once
// One rate-limit policy compiled from its config for a worker's filter: algorithm parameters, how
// its key is taken from a request, the salts that keep its keys apart from other policies' in the
// shared table, and its preformatted header item and refusal text.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/filters/rate_limit/decision.h"
#include "engine/filters/rate_limit/key_hash.h"
#include "engine/stats/rate_limit_stats.h"

namespace sluice::rate_limit {

enum class KeyKind { ClientIp, Header, Route };

struct CompiledPolicy {
  std::string name;
  bool has_rate = false;            // limit given (else only max_in_flight)
  AlgorithmParams params;
  KeyKind kind = KeyKind::ClientIp;
  std::string header;               // lower-case name, for KeyKind::Header
  uint32_t ipv4_prefix = 32;
  uint32_t ipv6_prefix = 64;
  bool dry_run = false;
  bool headers = true;
  int fallback = -1;                // index into the compiled policies, or -1
  int missing_key_status = 400;
  uint64_t max_in_flight = 0;
  int in_flight_status = 429;
  // Salts of this policy's keys: the rate state and the in-flight count are separate keys.
  // The rate salt covers the name and algorithm (and the window of window algorithms, whose state
  // means nothing under another window), so a reload that keeps them keeps every key's state.
  uint64_t rate_salt = 0;
  uint64_t in_flight_salt = 0;
  uint32_t safe_idle_s = 0;         // see safeIdleNs()
  std::string policy_item;          // `"name";q=100;w=60`
  std::string rate_detail;          // "rate limit 'name' exceeded: 100 requests per 1m"
  std::string in_flight_detail;
  std::string missing_detail;
  stats::RateLimitStats* stats = nullptr;
};

// The config's rate limits in config order (fallbacks resolved to indexes), their stats slots
// claimed from `claim(name)`.
template <typename Claim>
std::vector<CompiledPolicy> compilePolicies(const config::Config& config, const HashKey& hash_key, Claim&& claim);

CompiledPolicy compilePolicy(const config::RateLimitConfig& policy, const HashKey& hash_key);

template <typename Claim>
std::vector<CompiledPolicy> compilePolicies(const config::Config& config, const HashKey& hash_key, Claim&& claim) {
  std::vector<CompiledPolicy> out;
  for (const config::RateLimitConfig& policy : config.rate_limits) {
    out.push_back(compilePolicy(policy, hash_key));
    out.back().stats = claim(policy.name);
  }
  for (size_t i = 0; i < config.rate_limits.size(); ++i) {
    const std::string& fallback = config.rate_limits[i].fallback;
    for (size_t j = 0; j < out.size() && !fallback.empty(); ++j) {
      if (out[j].name == fallback) {
        out[i].fallback = static_cast<int>(j);
      }
    }
  }
  return out;
}

}  // namespace sluice::rate_limit
