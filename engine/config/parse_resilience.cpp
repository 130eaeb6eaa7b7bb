// The resilience keys of upstreams (health_check, circuit_breaker, queue) and routes (retries,
// timeouts): docs/resilience.md says what each does.

#include <array>
#include <charconv>

#include "engine/config/parse_resilience.h"

namespace sluice::config::detail {
namespace {

constexpr std::array<std::string_view, 7> kHealthKeys{"path", "host", "interval", "timeout", "expect", "rise", "fall"};
constexpr std::array<std::string_view, 7> kBreakerKeys{"consecutive_failures", "error_ratio", "window", "min_requests",
                                                       "cool_down", "half_open_requests", "success"};
constexpr std::array<std::string_view, 2> kQueueKeys{"size", "timeout"};
constexpr std::array<std::string_view, 6> kRetryKeys{"tries", "on", "per_try_timeout", "backoff", "idempotent_only",
                                                     "budget"};
constexpr std::array<std::string_view, 2> kBackoffKeys{"base", "max"};
constexpr std::array<std::string_view, 3> kBudgetKeys{"ratio", "window", "min_per_second"};
constexpr std::array<std::string_view, 5> kTimeoutKeys{"connect", "send", "first_byte", "idle", "total"};

constexpr std::array<Choice<uint32_t>, 6> kRetryOn{{
    {"connect_error", kRetryConnectError},
    {"reset", kRetryReset},
    {"timeout", kRetryTimeout},
    {"502", kRetry502},
    {"503", kRetry503},
    {"504", kRetry504},
}};

// A number in [0, 1] such as 0.2.
std::optional<double> readRatio(const MapReader& map, std::string_view key) {
  const Field* field = map.find(key);
  if (field == nullptr) {
    return std::nullopt;
  }
  const std::string text = field->value.IsScalar() ? field->value.Scalar() : std::string();
  double value = -1;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !(value >= 0 && value <= 1)) {
    map.diag().error(field->line, "'" + field->key + "' must be a number from 0 to 1 (e.g. 0.2), got " +
                                      describe(field->value));
    return std::nullopt;
  }
  return value;
}

// 200, "2xx".
std::optional<StatusRange> readStatus(const Field& item, Diagnostics& diag) {
  const std::string text = item.value.IsScalar() ? item.value.Scalar() : std::string();
  if (text.size() == 3 && text[0] >= '1' && text[0] <= '5' && text[1] == 'x' && text[2] == 'x') {
    const int base = (text[0] - '0') * 100;
    return StatusRange{base, base + 99};
  }
  int status = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), status);
  if (!text.empty() && ec == std::errc() && end == text.data() + text.size() && status >= 100 && status <= 599) {
    return StatusRange{status, status};
  }
  diag.error(item.line, "'expect' lists statuses like 200 or \"2xx\", got " + describe(item.value));
  return std::nullopt;
}

void parseHealthCheck(const Field& field, Diagnostics& diag, UpstreamConfig& upstream) {
  if (!expectMap(field, "'health_check'", diag)) {
    return;
  }
  MapReader map(field.value, kHealthKeys, diag);
  HealthCheckConfig& check = upstream.health_check.emplace();
  if (map.read("path", check.path) && (check.path.empty() || check.path.front() != '/')) {
    diag.error(map.find("path")->line, "'path' must start with '/', got " + describe(map.find("path")->value));
  }
  map.read("host", check.host);
  map.read("interval", check.interval, Duration(10));
  map.read("timeout", check.timeout, Duration(1));
  if (const Field* expect = map.find("expect")) {
    if (std::optional<std::vector<Field>> items = readList(*expect, diag)) {
      check.expect.clear();
      for (const Field& item : *items) {
        if (std::optional<StatusRange> range = readStatus(item, diag)) {
          check.expect.push_back(*range);
        }
      }
      if (check.expect.empty()) {
        diag.error(expect->line, "'expect' must list at least one status");
      }
    }
  }
  map.readInt("rise", check.rise, 1, 100);
  map.readInt("fall", check.fall, 1, 100);
}

void parseBreaker(const Field& field, Diagnostics& diag, UpstreamConfig& upstream) {
  if (!expectMap(field, "'circuit_breaker'", diag)) {
    return;
  }
  MapReader map(field.value, kBreakerKeys, diag);
  CircuitBreakerConfig& breaker = upstream.circuit_breaker.emplace();
  map.readInt("consecutive_failures", breaker.consecutive_failures, 0, 100000);
  breaker.error_ratio = readRatio(map, "error_ratio").value_or(breaker.error_ratio);
  map.read("window", breaker.window, Duration(1000));
  map.readInt("min_requests", breaker.min_requests, 1, 1000000);
  map.read("cool_down", breaker.cool_down, Duration(1));
  map.readInt("half_open_requests", breaker.half_open_requests, 1, 10000);
  map.readInt("success", breaker.success, 1, 10000);
  if (breaker.success > breaker.half_open_requests) {
    diag.error(map.line(), "'success' (" + std::to_string(breaker.success) +
                               ") cannot exceed 'half_open_requests' (" +
                               std::to_string(breaker.half_open_requests) + ")");
  }
  if (breaker.consecutive_failures == 0 && breaker.error_ratio == 0) {
    diag.error(map.line(), "a circuit breaker needs 'consecutive_failures' > 0 or 'error_ratio' > 0");
  }
}

void parseQueue(const Field& field, Diagnostics& diag, UpstreamConfig& upstream) {
  if (!expectMap(field, "'queue'", diag)) {
    return;
  }
  MapReader map(field.value, kQueueKeys, diag);
  map.readInt("size", upstream.queue_size, 0, 1000000);
  map.read("timeout", upstream.queue_timeout, Duration(1));
}

void parseBackoff(const Field& field, Diagnostics& diag, RetryConfig& retry) {
  if (!expectMap(field, "'backoff'", diag)) {
    return;
  }
  MapReader map(field.value, kBackoffKeys, diag);
  map.read("base", retry.backoff_base);
  map.read("max", retry.backoff_max);
  if (retry.backoff_max < retry.backoff_base) {
    diag.error(map.line(), "'max' must be at least 'base'");
  }
}

void parseBudget(const Field& field, Diagnostics& diag, RetryConfig& retry) {
  if (!expectMap(field, "'budget'", diag)) {
    return;
  }
  MapReader map(field.value, kBudgetKeys, diag);
  retry.budget.ratio = readRatio(map, "ratio").value_or(retry.budget.ratio);
  map.read("window", retry.budget.window, Duration(1000));
  map.readInt("min_per_second", retry.budget.min_per_second, 0, 100000);
}

void parseRetryOn(const Field& field, Diagnostics& diag, RetryConfig& retry) {
  std::optional<std::vector<Field>> items = readList(field, diag);
  if (!items) {
    return;
  }
  std::array<std::string_view, kRetryOn.size()> names;
  for (size_t i = 0; i < kRetryOn.size(); ++i) {
    names[i] = kRetryOn[i].name;
  }
  retry.on = 0;
  for (const Field& item : *items) {
    if (std::optional<size_t> index = readChoice(item, diag, names)) {
      retry.on |= kRetryOn[*index].value;
    }
  }
}

}  // namespace

void parseUpstreamResilience(const MapReader& map, UpstreamConfig& upstream) {
  Diagnostics& diag = map.diag();
  if (const Field* field = map.find("health_check")) {
    parseHealthCheck(*field, diag, upstream);
  }
  if (const Field* field = map.find("circuit_breaker")) {
    parseBreaker(*field, diag, upstream);
  }
  map.readInt("max_in_flight", upstream.max_in_flight, 0, 10000000);
  if (const Field* field = map.find("queue")) {
    parseQueue(*field, diag, upstream);
    if (upstream.max_in_flight == 0) {
      diag.error(field->line, "'queue' needs 'max_in_flight'");
    }
  }
}

void parseRouteResilience(const MapReader& map, RouteConfig& route) {
  Diagnostics& diag = map.diag();
  if (const Field* field = map.find("retries"); field != nullptr && expectMap(*field, "'retries'", diag)) {
    MapReader retries(field->value, kRetryKeys, diag);
    RetryConfig& retry = route.retries;
    retry.configured = true;
    retries.readInt("tries", retry.tries, 1, 10);
    if (const Field* on = retries.find("on")) {
      parseRetryOn(*on, diag, retry);
    }
    retries.read("per_try_timeout", retry.per_try_timeout, Duration(1));
    if (const Field* backoff = retries.find("backoff")) {
      parseBackoff(*backoff, diag, retry);
    }
    retries.readBool("idempotent_only", retry.idempotent_only);
    if (const Field* budget = retries.find("budget")) {
      parseBudget(*budget, diag, retry);
    }
  }
  if (const Field* field = map.find("timeouts"); field != nullptr && expectMap(*field, "'timeouts'", diag)) {
    MapReader timeouts(field->value, kTimeoutKeys, diag);
    RouteTimeouts& t = route.timeouts;
    for (auto [key, slot] : {std::pair{"connect", &t.connect}, std::pair{"send", &t.send},
                             std::pair{"first_byte", &t.first_byte}, std::pair{"idle", &t.idle},
                             std::pair{"total", &t.total}}) {
      Duration value{};
      if (timeouts.read(key, value, Duration(1))) {
        *slot = value;
      }
    }
  }
}

}  // namespace sluice::config::detail
