#include "engine/filters/rate_limit/rate_limit_filter.h"

#include <algorithm>
#include <limits>

#include "engine/core/number_format.h"
#include "engine/filters/rate_limit/algorithm.h"
#include "engine/filters/rate_limit/client_address.h"
#include "engine/filters/rate_limit/in_flight.h"
#include "engine/filters/rate_limit/limiter_clock.h"
#include "engine/filters/rate_limit/rate_limit_headers.h"
#include "engine/http/status_text.h"
#include "engine/log/logger.h"
#include "engine/stats/worker_stats.h"

namespace sluice::filters {
namespace {

using rate_limit::CompiledPolicy;
using rate_limit::KeyKind;

uint32_t expireAt(uint32_t now_s, uint64_t reset_ns, uint32_t idle_s, uint32_t safe_idle_s) {
  // Keep the key while its state still limits anything, and then while it is recently used; but
  // never so long that a window number could wrap (safe_idle_s).
  const uint64_t limiting = rate_limit::ceilSeconds(reset_ns);
  const uint64_t keep = std::max<uint64_t>(limiting, std::min(idle_s, safe_idle_s));
  return now_s + static_cast<uint32_t>(std::min<uint64_t>(keep, std::numeric_limits<int32_t>::max()));
}

}  // namespace

std::unique_ptr<RequestFilter> RateLimitFilter::create(const FilterEnv& env) {
  if (env.rate_limits == nullptr) {
    return nullptr;
  }
  const bool used = std::any_of(env.config.routes.begin(), env.config.routes.end(),
                                [](const config::RouteConfig& r) { return !r.rate_limits.empty(); });
  return used ? std::make_unique<RateLimitFilter>(env) : nullptr;
}

RateLimitFilter::RateLimitFilter(const FilterEnv& env)
    : table_(*env.rate_limits),
      routes_(env.config.routes.data()),
      policies_(rate_limit::compilePolicies(env.config, table_.hashKey(),
                                            [&](const std::string& name) { return env.stats.rateLimit(name); })),
      trusted_(env.config.trusted_proxies),
      dry_run_logged_s_(policies_.size(), 0),
      dry_run_suppressed_(policies_.size(), 0) {
  for (const config::RouteConfig& route : env.config.routes) {
    std::vector<int>& plan = plans_.emplace_back();
    for (const std::string& name : route.rate_limits) {
      for (size_t i = 0; i < policies_.size(); ++i) {
        if (policies_[i].name == name) {
          plan.push_back(static_cast<int>(i));
        }
      }
    }
  }
  steps_.reserve(policies_.size() * 2);
}

bool RateLimitFilter::keyHash(const CompiledPolicy& p, const http::RequestHead& head,
                              const server::RequestContext& context, uint64_t salt, uint64_t& hash) {
  rate_limit::KeyHash h(table_.hashKey());
  h.add(salt);
  switch (p.kind) {
    case KeyKind::ClientIp: {
      if (!client_known_) {
        client_ = rate_limit::clientAddress(context.peer, head.headers, trusted_);
        client_known_ = true;
      }
      const core::IpAddress grouped = client_.masked(client_.family == 4 ? p.ipv4_prefix : p.ipv6_prefix);
      h.add(&grouped.family, 1).add(grouped.bytes.data(), grouped.family == 4 ? 4 : 16);
      break;
    }
    case KeyKind::Header: {
      const http::HeaderField* field = http::findHeader(head.headers, p.header);
      if (field == nullptr) {
        return false;
      }
      h.add(field->value);
      break;
    }
    case KeyKind::Route:
      h.add(context.route->name);
      break;
  }
  hash = h.finish();
  return true;
}

RateLimitFilter::Refusal RateLimitFilter::check(int index, const http::RequestHead& head,
                                                server::RequestContext& context, uint64_t now_ns) {
  // A header key that is missing hands the request to the fallback policy (checked at load: the
  // chain ends). A policy reached twice (listed and as a fallback) counts once.
  while (true) {
    const CompiledPolicy& p = policies_[static_cast<size_t>(index)];
    for (const Step& s : steps_) {
      if (s.policy == index) {
        return Refusal::None;
      }
    }
    const uint32_t now_s = rate_limit::nodeSeconds(now_ns);
    Step step;
    step.policy = index;
    if (!keyHash(p, head, context, p.rate_salt, step.hash)) {
      if (p.fallback >= 0) {
        index = p.fallback;
        continue;
      }
      stats::bump(p.stats->missing_key);
      refused_by_ = index;
      return Refusal::MissingKey;
    }
    if (p.has_rate) {
      const uint32_t idle_s = table_.idleTimeout();
      const bool stored = table_.update(step.hash, now_s, [&](uint64_t value) {
        step.decision = rate_limit::decide(p.params, value, now_ns);
        rate_limit::LimiterTable::Update u;
        u.write = step.decision.write;
        u.value = step.decision.value;
        u.expire_at = expireAt(now_s, step.decision.reset_ns, idle_s, p.safe_idle_s);
        return u;
      });
      step.consumed = stored && step.decision.write;
      if (!stored) {
        step.decision = rate_limit::Decision{};  // the table is full of pinned keys: not limited
        step.decision.allowed = true;
      }
    } else {
      step.decision.allowed = true;
    }
    steps_.push_back(step);
    if (!step.decision.allowed) {
      return overLimit(index, Refusal::Rate, head, context, now_s);
    }
    if (p.max_in_flight > 0) {
      uint64_t hash = 0;
      keyHash(p, head, context, p.in_flight_salt, hash);
      core::Lease lease;
      const rate_limit::Acquired got = rate_limit::acquireCount(table_, hash, p.max_in_flight, now_s, lease);
      if (got == rate_limit::Acquired::Held) {
        context.leases.push_back(std::move(lease));
      } else if (got == rate_limit::Acquired::Refused) {
        return overLimit(index, Refusal::InFlight, head, context, now_s);
      }
    }
    stats::bump(p.stats->allowed);
    return Refusal::None;
  }
}

RateLimitFilter::Refusal RateLimitFilter::overLimit(int index, Refusal kind, const http::RequestHead& head,
                                                    const server::RequestContext& context, uint32_t now_s) {
  const CompiledPolicy& p = policies_[static_cast<size_t>(index)];
  if (p.dry_run) {
    stats::bump(p.stats->dry_run_limited);
    logDryRun(p, head, context, now_s, kind == Refusal::Rate ? "rate" : "in-flight");
    return Refusal::None;
  }
  stats::bump(kind == Refusal::Rate ? p.stats->limited : p.stats->in_flight_limited);
  refused_by_ = index;
  return kind;
}

void RateLimitFilter::giveBack(uint64_t now_ns) {
  const uint32_t now_s = rate_limit::nodeSeconds(now_ns);
  for (Step& s : steps_) {
    if (!s.consumed) {
      continue;
    }
    ++s.decision.remaining;  // the RateLimit field then tells what is really left
    const rate_limit::AlgorithmParams& params = policies_[static_cast<size_t>(s.policy)].params;
    table_.update(s.hash, now_s, [&](uint64_t value) {
      rate_limit::LimiterTable::Update u;
      u.value = rate_limit::refund(params, value, now_ns);
      u.write = u.value != value;
      return u;
    });
  }
}

void RateLimitFilter::appendHeaders(server::RequestContext& context) const {
  // Written straight into the context (no intermediate string): both fields list the same
  // policies in the same order, those with `headers` that limit a rate.
  std::string& out = context.response_headers;
  const auto shown = [this](const Step& s) {
    const CompiledPolicy& p = policies_[static_cast<size_t>(s.policy)];
    return p.headers && p.has_rate;
  };
  bool first = true;
  for (const Step& s : steps_) {
    if (shown(s)) {
      out.append(first ? "RateLimit-Policy: " : ", ").append(policies_[static_cast<size_t>(s.policy)].policy_item);
      first = false;
    }
  }
  if (first) {
    return;
  }
  out.append("\r\nRateLimit: ");
  first = true;
  for (const Step& s : steps_) {
    if (shown(s)) {
      if (!first) {
        out.append(", ");
      }
      rate_limit::appendLimitItem(out, policies_[static_cast<size_t>(s.policy)].name, s.decision.remaining,
                                  rate_limit::ceilSeconds(s.decision.reset_ns));
      first = false;
    }
  }
  out.append("\r\n");
}

void RateLimitFilter::answer(server::ResponseSink& sink, int status, const rate_limit::Problem& problem) {
  extra_.assign("Content-Type: ").append(rate_limit::kProblemContentType).append("\r\n");
  if (problem.retry_after_s > 0) {
    extra_.append("Retry-After: ");
    core::appendDecimal(extra_, problem.retry_after_s);
    extra_.append("\r\n");
  }
  body_.clear();
  rate_limit::appendProblemJson(body_, problem);
  server::ResponseStart start;
  start.status = status;
  start.extra_lines = extra_;
  start.has_content_length = true;
  start.content_length = body_.size();
  sink.startResponse(start);
  if (sink.sendBody(body_.data(), body_.size())) {
    sink.finishResponse();
  }
}

void RateLimitFilter::logDryRun(const CompiledPolicy& p, const http::RequestHead& head,
                                const server::RequestContext& context, uint32_t now_s, std::string_view what) {
  // At most one line per policy per second per worker: a dry run must not flood the log.
  const size_t i = static_cast<size_t>(&p - policies_.data());
  if (dry_run_logged_s_[i] == now_s) {
    ++dry_run_suppressed_[i];
    return;
  }
  dry_run_logged_s_[i] = now_s;
  const uint64_t suppressed = std::exchange(dry_run_suppressed_[i], 0);
  log::info("rate limit {}: dry run: would refuse ({} limit) {} {} on route {} from {}{}", p.name, what,
            head.method, head.path, context.route->name, client_known_ ? client_.str() : context.client_ip,
            suppressed > 0 ? fmt::format(" ({} more since the last line)", suppressed) : std::string());
}

FilterStatus RateLimitFilter::onRequest(const http::RequestHead& head, server::RequestContext& context,
                                        server::ResponseSink& sink) {
  if (context.route == nullptr) {
    return FilterStatus::Continue;
  }
  const std::vector<int>& plan = plans_[static_cast<size_t>(context.route - routes_)];
  if (plan.empty()) {
    return FilterStatus::Continue;
  }
  const uint64_t now_ns = rate_limit::nodeTimeNs();
  steps_.clear();
  client_known_ = false;
  refused_by_ = -1;
  Refusal refusal = Refusal::None;
  for (int index : plan) {
    refusal = check(index, head, context, now_ns);
    if (refusal != Refusal::None) {
      break;
    }
  }
  if (refusal == Refusal::None) {
    appendHeaders(context);
    return FilterStatus::Continue;
  }
  // Refused: nothing the request took counts against it.
  giveBack(now_ns);
  context.leases.clear();
  const CompiledPolicy& p = policies_[static_cast<size_t>(refused_by_)];
  rate_limit::Problem problem;
  problem.policy = p.name;
  switch (refusal) {
    case Refusal::Rate:
      appendHeaders(context);
      problem.type = rate_limit::kRateLimitedType;
      problem.status = 429;
      problem.detail = p.rate_detail;
      problem.retry_after_s = std::max<uint64_t>(rate_limit::ceilSeconds(steps_.back().decision.retry_ns), 1);
      break;
    case Refusal::InFlight:
      appendHeaders(context);
      problem.type = rate_limit::kTooManyInFlightType;
      problem.status = p.in_flight_status;
      problem.detail = p.in_flight_detail;
      problem.retry_after_s = 1;  // a request in flight ends at no known time
      break;
    case Refusal::MissingKey:
    case Refusal::None:
      problem.type = rate_limit::kMissingKeyType;
      problem.status = p.missing_key_status;
      problem.detail = p.missing_detail;
      break;
  }
  problem.title = http::statusText(problem.status);
  answer(sink, problem.status, problem);
  return FilterStatus::Stop;
}

}  // namespace sluice::filters
