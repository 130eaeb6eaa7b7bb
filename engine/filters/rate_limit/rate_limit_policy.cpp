#include "engine/filters/rate_limit/rate_limit_policy.h"

#include <algorithm>
#include <limits>

#include "engine/config/units.h"
#include "engine/filters/rate_limit/algorithm.h"
#include "engine/filters/rate_limit/rate_limit_headers.h"

namespace sluice::rate_limit {

CompiledPolicy compilePolicy(const config::RateLimitConfig& c, const HashKey& hash_key) {
  CompiledPolicy p;
  p.name = c.name;
  p.has_rate = c.limit > 0;
  p.params = paramsFor(c);
  if (c.key == "route") {
    p.kind = KeyKind::Route;
  } else if (c.key.starts_with("header:")) {
    p.kind = KeyKind::Header;
    p.header = c.key.substr(7);
  }
  p.ipv4_prefix = c.ipv4_prefix;
  p.ipv6_prefix = c.ipv6_prefix;
  p.dry_run = c.mode == config::RateLimitMode::DryRun;
  p.headers = c.headers;
  p.missing_key_status = c.missing_key_status;
  p.max_in_flight = c.max_in_flight;
  p.in_flight_status = c.in_flight_status;

  KeyHash salt(hash_key);
  salt.add("rate").add(c.name).add(static_cast<uint64_t>(c.algorithm)).add(c.key);
  if (c.algorithm != config::RateLimitAlgorithm::TokenBucket) {
    salt.add(p.params.window_ns);
  }
  p.rate_salt = salt.finish();
  p.in_flight_salt = KeyHash(hash_key).add("in_flight").add(c.name).add(c.key).finish();
  const uint64_t safe_s = safeIdleNs(p.params) / kNsPerSecond;
  p.safe_idle_s = static_cast<uint32_t>(std::min<uint64_t>(safe_s, std::numeric_limits<uint32_t>::max()));

  const uint64_t window_s = std::max<uint64_t>(ceilSeconds(p.params.window_ns), 1);
  appendPolicyItem(p.policy_item, c.name, c.limit, window_s);
  p.rate_detail = "rate limit '" + c.name + "' exceeded: " + std::to_string(c.limit) + " requests per " +
                  config::formatDuration(c.window);
  if (c.burst > 0) {
    p.rate_detail += " (burst " + std::to_string(c.burst) + ")";
  }
  p.in_flight_detail = "rate limit '" + c.name + "': " + std::to_string(c.max_in_flight) +
                       " requests already in flight for this key";
  p.missing_detail = "rate limit '" + c.name + "' counts requests by the header '" + p.header +
                     "', which the request does not have";
  return p;
}

}  // namespace sluice::rate_limit
