#pragma once
// The answer formats of rate limiting: the RateLimit-Policy and RateLimit fields of
// draft-ietf-httpapi-ratelimit-headers (items like `"per_ip";q=100;w=60` and `"per_ip";r=0;t=12`,
// several policies as one comma-separated list per field), and RFC 9457 problem details for
// refusals. Policy names are [A-Za-z0-9_.-] (the config checks), so they need no escaping as
// structured-field strings or in JSON.

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::rate_limit {

// `"NAME";q=QUOTA;w=WINDOW_SECONDS`
void appendPolicyItem(std::string& out, std::string_view name, uint64_t quota, uint64_t window_s);
// `"NAME";r=REMAINING;t=RESET_SECONDS`
void appendLimitItem(std::string& out, std::string_view name, uint64_t remaining, uint64_t reset_s);

struct Problem {
  std::string_view type;    // a URN naming the kind of problem
  int status = 429;
  std::string_view title;   // the status' reason phrase
  std::string_view detail;  // for a person
  std::string_view policy;  // extension member: the policy that refused
  uint64_t retry_after_s = 0;  // extension member when > 0
};

// {"type":...,"title":...,"status":...,"detail":...,"policy":...[,"retry_after":N]}\n
void appendProblemJson(std::string& out, const Problem& problem);

inline constexpr std::string_view kProblemContentType = "application/problem+json";
inline constexpr std::string_view kRateLimitedType = "urn:sluice:problem:rate-limited";
inline constexpr std::string_view kTooManyInFlightType = "urn:sluice:problem:too-many-in-flight";
inline constexpr std::string_view kMissingKeyType = "urn:sluice:problem:rate-limit-key-missing";

}  // namespace sluice::rate_limit
