#include "console/models/policy_schema.h"

#include <QCoreApplication>

namespace sluice::console {

namespace {
using Kind = PolicyField::Kind;

PolicySchema makeRateLimits() {
  PolicySchema schema;
  schema.section = QStringLiteral("rate_limits");
  schema.title = QStringLiteral("Rate limits");
  schema.singular = QStringLiteral("rate limit");
  schema.fields = {
      {"name", Kind::Name, "Na&me", "", "Unique: letters, digits, _ - .", {}, true},
      {"algorithm",
       Kind::Choice,
       "Algo&rithm",
       "token_bucket",
       "token_bucket (GCRA), sliding_window (weighted two windows) or fixed_window",
       {"token_bucket", "sliding_window", "fixed_window"},
       true},
      {"key",
       Kind::EditableChoice,
       "&Key",
       "client_ip",
       "What requests are counted by: client_ip, route or header:NAME",
       {"client_ip", "route", "header:"},
       true},
      {"limit",
       Kind::Integer,
       "&Limit",
       "",
       "1..1000000000 requests per window; required unless max_in_flight is set",
       {},
       true},
      {"window", Kind::Duration, "&Window", "1m", "A duration: 250ms, 30s, 1m30s, 1h", {}, true},
      {"burst",
       Kind::Integer,
       "&Burst",
       "0",
       "0..1000000000 extra requests at once (token_bucket only)",
       {},
       true},
      {"mode",
       Kind::Choice,
       "M&ode",
       "enforce",
       "dry_run counts and logs would-be refusals, refuses nothing",
       {"enforce", "dry_run"},
       true},
      {"headers",
       Kind::Boolean,
       "&Headers",
       "true",
       "RateLimit-Policy and RateLimit fields on responses",
       {},
       false},
      {"fallback",
       Kind::PolicyName,
       "Fallback &policy",
       "",
       "header: keys only: the policy for requests without the header",
       {},
       false},
      {"missing_key_status",
       Kind::Integer,
       "M&issing key status",
       "400",
       "header: keys only, 400..599: the answer without the header and without a fallback",
       {},
       false},
      {"ipv4_prefix", Kind::Integer, "IPv&4 prefix", "32", "client_ip only, 1..32", {}, false},
      {"ipv6_prefix", Kind::Integer, "IPv&6 prefix", "64", "client_ip only, 1..128", {}, false},
      {"max_in_flight",
       Kind::Integer,
       "Max in fligh&t",
       "",
       "1..1000000 concurrent requests per key",
       {},
       false},
      {"in_flight_status",
       Kind::IntegerChoice,
       "In-flight stat&us",
       "429",
       "The answer over max_in_flight",
       {"429", "503"},
       false},
  };
  return schema;
}

PolicySchema makeCachePolicies() {
  PolicySchema schema;
  schema.section = QStringLiteral("cache_policies");
  schema.title = QStringLiteral("Cache policies");
  schema.singular = QStringLiteral("cache policy");
  schema.fields = {
      {"name", Kind::Name, "Na&me", "", "Unique: letters, digits, _ - .", {}, true},
      {"default_ttl",
       Kind::Duration,
       "Defau&lt TTL",
       "60s",
       "Freshness when the origin gives none; at most max_ttl",
       {},
       true},
      {"max_ttl",
       Kind::Duration,
       "Ma&x TTL",
       "1h",
       "Caps every freshness lifetime, the origin's included",
       {},
       true},
      {"stale_while_revalidate",
       Kind::Duration,
       "Stale while &revalidate",
       "0s",
       "When the origin does not say: serve stale this long while refreshing",
       {},
       true},
      {"stale_if_error",
       Kind::Duration,
       "Stale &if error",
       "0s",
       "When the origin does not say: serve stale this long when the origin fails",
       {},
       true},
      {"max_object_size",
       Kind::Size,
       "Max &object size",
       "8MiB",
       "Larger responses stream through uncached; up to 1GiB",
       {},
       true},
      {"lock_timeout",
       Kind::Duration,
       "Loc&k timeout",
       "5s",
       "How long a miss waits for a concurrent fetch of the same key",
       {},
       false},
  };
  return schema;
}
}  // namespace

const PolicyField* PolicySchema::field(const QString& key) const {
  for (const PolicyField& candidate : fields) {
    if (candidate.key == key) {
      return &candidate;
    }
  }
  return nullptr;
}

const PolicySchema& PolicySchema::rateLimits() {
  static const PolicySchema schema = makeRateLimits();
  return schema;
}

const PolicySchema& PolicySchema::cachePolicies() {
  static const PolicySchema schema = makeCachePolicies();
  return schema;
}

}  // namespace sluice::console
