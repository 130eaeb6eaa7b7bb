#include "engine/filters/cache/verdict.h"

namespace sluice::filters::cache {

namespace {

bool staleForbidden(const StoredMeta& meta) {
  return meta.hasFlag(kFlagMustRevalidate) || meta.hasFlag(kFlagNoCache);
}

// A stored response may stand in for a failed origin while fresh, or within stale-if-error: the
// response's (or policy's) window, or the request's own stale-if-error (RFC 5861, 4).
bool storedUsableOnError(const StoredMeta& meta, const CacheControl& request_cc, int64_t age) {
  if (meta.hasFlag(kFlagNoCache)) {
    return false;
  }
  if (age < meta.freshness_lifetime_s) {
    return true;
  }
  if (staleForbidden(meta)) {
    return false;
  }
  const int64_t staleness = age - meta.freshness_lifetime_s;
  return staleness < meta.stale_if_error_s ||
         (request_cc.stale_if_error && staleness < *request_cc.stale_if_error);
}

OnError onError(const StoredMeta& meta, const CacheControl& request_cc, int64_t age) {
  if (storedUsableOnError(meta, request_cc, age)) {
    return OnError::ServeStored;
  }
  return meta.hasFlag(kFlagMustRevalidate) ? OnError::Gateway504 : OnError::PassError;
}

}  // namespace

Verdict evaluate(const StoredMeta& meta, const CacheControl& request_cc, int64_t now_s) {
  Verdict v;
  v.age_s = currentAge(meta, now_s);
  v.ttl_s = meta.freshness_lifetime_s - v.age_s;
  const bool fresh = v.age_s < meta.freshness_lifetime_s;

  if (meta.hasFlag(kFlagNoCache)) {
    v.reason = VerdictReason::ResponseNoCache;
  } else if (request_cc.no_cache || request_cc.invalid_freshness) {
    v.reason = VerdictReason::RequestNoCache;
  } else if (request_cc.max_age && v.age_s > *request_cc.max_age) {
    v.reason = VerdictReason::RequestMaxAge;
  } else if (request_cc.min_fresh && v.ttl_s < *request_cc.min_fresh) {
    v.reason = VerdictReason::RequestMinFresh;  // a stale entry never satisfies min-fresh either
  } else if (fresh) {
    v.action = Action::Fresh;
    v.reason = VerdictReason::Fresh;
  } else if (!staleForbidden(meta)) {
    const int64_t staleness = v.age_s - meta.freshness_lifetime_s;
    if (request_cc.max_stale && staleness < *request_cc.max_stale) {
      v.action = Action::StaleWhileRevalidate;
      v.reason = VerdictReason::MaxStale;
    } else if (staleness < meta.stale_while_revalidate_s) {
      v.action = Action::StaleWhileRevalidate;
      v.reason = VerdictReason::StaleWhileRevalidate;
    }
  }

  if (v.action == Action::Revalidate) {
    v.on_error = onError(meta, request_cc, v.age_s);
    if (request_cc.only_if_cached) {
      v.action = Action::Unsatisfiable;
      v.reason = VerdictReason::OnlyIfCached;
    }
  }
  return v;
}

bool servesStoredOnError(const StoredMeta& meta, const CacheControl& request_cc, int64_t now_s) {
  return storedUsableOnError(meta, request_cc, currentAge(meta, now_s));
}

bool isStaleIfErrorStatus(int status) {
  return status == 500 || status == 502 || status == 503 || status == 504;
}

CacheStatus cacheStatusFor(const Verdict& verdict) {
  CacheStatus status;
  status.detail = verdictDetail(verdict.reason);
  switch (verdict.action) {
    case Action::Fresh:
    case Action::StaleWhileRevalidate:
      status.has_ttl = true;
      status.ttl = verdict.ttl_s;
      break;
    case Action::Revalidate: {
      const VerdictReason r = verdict.reason;
      const bool by_request = r == VerdictReason::RequestNoCache || r == VerdictReason::RequestMaxAge ||
                              r == VerdictReason::RequestMinFresh;
      status.fwd = by_request ? Forward::Request : Forward::Stale;
      break;
    }
    case Action::Unsatisfiable:
      status.fwd = Forward::Miss;
      break;
  }
  return status;
}

std::string_view verdictDetail(VerdictReason reason) {
  switch (reason) {
    case VerdictReason::Fresh:
    case VerdictReason::Stale:
      return "";
    case VerdictReason::ResponseNoCache:
      return "response-no-cache";
    case VerdictReason::RequestNoCache:
      return "no-cache";
    case VerdictReason::RequestMaxAge:
      return "max-age";
    case VerdictReason::RequestMinFresh:
      return "min-fresh";
    case VerdictReason::StaleWhileRevalidate:
      return "stale-while-revalidate";
    case VerdictReason::MaxStale:
      return "max-stale";
    case VerdictReason::OnlyIfCached:
      return "only-if-cached";
  }
  return "";
}

}  // namespace sluice::filters::cache
