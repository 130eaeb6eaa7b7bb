#pragma once
// Enforces a route's rate_limits: every listed policy must pass. Per policy, the key is taken from
// the request (client address, a header, or the route), its rate state is decided with one CAS in
// the node's LimiterTable, and its max_in_flight count is taken for the request's lifetime. A
// refusal gives back what the request took from the policies before it (so a refused request
// counts against nothing), answers 429 with Retry-After and RFC 9457 problem details, and stops.
// Allowed responses get the RateLimit-Policy and RateLimit fields (per policy `headers`).
// Policies in `mode: dry_run` decide and count the same, log what they would refuse, and let it
// pass. Built per config snapshot per worker; runs on that worker's thread.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/filters/filter.h"
#include "engine/filters/rate_limit/decision.h"
#include "engine/filters/rate_limit/limiter_table.h"
#include "engine/filters/rate_limit/rate_limit_headers.h"
#include "engine/filters/rate_limit/rate_limit_policy.h"

namespace sluice::filters {

class RateLimitFilter final : public RequestFilter {
 public:
  // Null when no route lists a rate limit (the filter then costs nothing).
  static std::unique_ptr<RequestFilter> create(const FilterEnv& env);

  RateLimitFilter(const FilterEnv& env);
  FilterStatus onRequest(const http::RequestHead& head, server::RequestContext& context,
                         server::ResponseSink& sink) override;

 private:
  // One policy's part in the current request.
  struct Step {
    int policy = 0;
    uint64_t hash = 0;
    rate_limit::Decision decision;
    bool consumed = false;  // took from the rate state (to give back on a refusal)
  };
  enum class Refusal { None, Rate, InFlight, MissingKey };

  bool keyHash(const rate_limit::CompiledPolicy& p, const http::RequestHead& head,
               const server::RequestContext& context, uint64_t salt, uint64_t& hash);
  Refusal check(int policy, const http::RequestHead& head, server::RequestContext& context, uint64_t now_ns);
  // Policy `index` is over its limit: counted, then refused, or (dry run) logged and let through.
  Refusal overLimit(int index, Refusal kind, const http::RequestHead& head, const server::RequestContext& context,
                    uint32_t now_s);
  void giveBack(uint64_t now_ns);
  void appendHeaders(server::RequestContext& context) const;
  void answer(server::ResponseSink& sink, int status, const rate_limit::Problem& problem);
  void logDryRun(const rate_limit::CompiledPolicy& p, const http::RequestHead& head,
                 const server::RequestContext& context, uint32_t now_s, std::string_view what);

  rate_limit::LimiterTable& table_;
  const config::RouteConfig* routes_;  // the snapshot's routes; plans_ runs parallel to them
  std::vector<rate_limit::CompiledPolicy> policies_;
  std::vector<std::vector<int>> plans_;
  std::vector<core::Cidr> trusted_;
  std::vector<uint32_t> dry_run_logged_s_;    // per policy: the second of the last log line
  std::vector<uint64_t> dry_run_suppressed_;  // per policy: lines not logged since
  // Per-request scratch, kept to reuse its memory.
  std::vector<Step> steps_;
  core::IpAddress client_;
  bool client_known_ = false;
  int refused_by_ = -1;
  std::string extra_;
  std::string body_;
};

}  // namespace sluice::filters
