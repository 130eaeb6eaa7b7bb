#include "engine/filters/cache/freshness.h"

#include <algorithm>
#include <optional>

#include "engine/core/http_date_codec.h"
#include "engine/filters/cache/cacheable_status.h"
#include "engine/filters/cache/stored_meta.h"

namespace sluice::filters::cache {

namespace {

using http::HeaderField;
using http::HeaderList;

// The only instance of a singleton field; nullopt when absent, `*duplicate` set when repeated.
std::optional<std::string_view> singleton(const HeaderList& headers, std::string_view name, bool* duplicate) {
  std::optional<std::string_view> found;
  for (const HeaderField& h : headers) {
    if (http::equalsIgnoreCase(h.name, name)) {
      if (found) {
        *duplicate = true;
      } else {
        found = h.value;
      }
    }
  }
  return found;
}

// The Date of the response, or the response time when it has none we can read.
int64_t dateValue(const HeaderList& headers, int64_t response_time_s) {
  const HeaderField* date = http::findHeader(headers, "date");
  const std::optional<int64_t> parsed = date != nullptr ? core::parseHttpDate(date->value) : std::nullopt;
  return parsed ? *parsed : response_time_s;
}

// Age: the first member of a list, ignored when not delta-seconds (RFC 9111, 5.1).
int64_t ageValue(const HeaderList& headers) {
  const HeaderField* age = http::findHeader(headers, "age");
  if (age == nullptr) {
    return 0;
  }
  std::string_view v = age->value;
  v = http::trimOws(v.substr(0, v.find(',')));
  return parseDeltaSeconds(v).value_or(0);
}

// Explicit lifetime from Expires, or nullopt when there is no Expires. An invalid date (e.g. "0") or
// a repeated field means "already expired" (RFC 9111, 5.3 and 4.2.1).
std::optional<int64_t> expiresLifetime(const HeaderList& headers, int64_t response_time_s, bool* invalid) {
  bool duplicate = false;
  const std::optional<std::string_view> expires = singleton(headers, "expires", &duplicate);
  if (!expires) {
    return std::nullopt;
  }
  const std::optional<int64_t> when = core::parseHttpDate(*expires);
  if (!when || duplicate) {
    *invalid = true;
    return 0;
  }
  return std::max<int64_t>(0, *when - dateValue(headers, response_time_s));
}

}  // namespace

int64_t correctedInitialAge(const HeaderList& headers, int64_t request_time_s, int64_t response_time_s) {
  const int64_t apparent_age = std::max<int64_t>(0, response_time_s - dateValue(headers, response_time_s));
  const int64_t response_delay = std::max<int64_t>(0, response_time_s - request_time_s);
  const int64_t corrected_age_value = ageValue(headers) + response_delay;
  return std::max(apparent_age, corrected_age_value);
}

Freshness computeFreshness(const http::ResponseHead& response, const CacheControl& cc,
                           const PolicyLimits& policy, int64_t request_time_s, int64_t response_time_s) {
  Freshness f;
  f.corrected_initial_age_s = correctedInitialAge(response.headers, request_time_s, response_time_s);

  bool invalid_expires = false;
  std::optional<int64_t> expires;
  if (!cc.s_maxage && !cc.max_age) {
    expires = expiresLifetime(response.headers, response_time_s, &invalid_expires);
  }
  if (cc.invalid_freshness || invalid_expires) {
    f.source = FreshnessSource::Invalid;
    f.lifetime_s = 0;
  } else if (cc.s_maxage) {
    f.source = FreshnessSource::SMaxAge;
    f.lifetime_s = *cc.s_maxage;
  } else if (cc.max_age) {
    f.source = FreshnessSource::MaxAge;
    f.lifetime_s = *cc.max_age;
  } else if (expires) {
    f.source = FreshnessSource::Expires;
    f.lifetime_s = *expires;
  } else if (isHeuristicallyCacheable(response.status) || cc.is_public) {
    f.source = FreshnessSource::Policy;
    f.lifetime_s = std::max<int64_t>(0, policy.default_ttl_s);
    f.flags |= kFlagHeuristic;
  } else {
    f.source = FreshnessSource::None;
    f.lifetime_s = 0;
  }
  f.lifetime_s = std::clamp<int64_t>(f.lifetime_s, 0, std::max<int64_t>(0, policy.max_ttl_s));

  const bool explicit_stale = cc.stale_while_revalidate || cc.stale_if_error;
  if (cc.must_revalidate || cc.proxy_revalidate || (cc.s_maxage && !explicit_stale)) {
    f.flags |= kFlagMustRevalidate;
  }
  if (cc.no_cache) {
    f.flags |= kFlagNoCache;
  }
  if ((f.flags & (kFlagMustRevalidate | kFlagNoCache)) != 0) {
    return f;  // both windows stay 0
  }
  const bool policy_windows = !cc.s_maxage;
  f.stale_while_revalidate_s = cc.stale_while_revalidate.value_or(
      policy_windows ? std::max<int64_t>(0, policy.stale_while_revalidate_s) : 0);
  f.stale_if_error_s =
      cc.stale_if_error.value_or(policy_windows ? std::max<int64_t>(0, policy.stale_if_error_s) : 0);
  return f;
}

}  // namespace sluice::filters::cache
