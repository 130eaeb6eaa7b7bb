#pragma once
// Node-level counters of one worker (written by that worker only, read by the control thread), and
// a table describing them so the aggregator, JSON and Prometheus output iterate them generically.

#include <array>
#include <string_view>

#include "engine/stats/counter.h"

namespace sluice::stats {

struct NodeCounters {
  Counter connections_accepted{0};
  Counter connections_active{0};   // gauge
  Counter connections_refused{0};  // over the connection limit
  Counter connections_refused_per_ip{0};  // over a listener's max_connections_per_ip
  Counter connections_refused_listener{0};  // over a listener's max_connections
  Counter requests_total{0};       // every parsed request, routed or not
  Counter bad_requests{0};         // 400
  Counter header_too_large{0};     // 431
  Counter uri_too_long{0};         // 414
  Counter body_too_large{0};       // 413
  Counter header_timeout{0};       // 408
  Counter body_timeout{0};
  Counter slow_head{0};  // 408: head below limits.min_request_rate
  Counter slow_body{0};  // 408 (or a cut response): body below limits.min_request_rate
  Counter idle_timeout_closes{0};
  Counter upstream_connect_failures{0};
  Counter upstream_timeouts{0};  // 504
  Counter upstream_errors{0};    // 502
  Counter upstream_retries{0};
  Counter upstream_connections_opened{0};
  Counter upstream_connections_reused{0};
  Counter tls_handshakes{0};          // completed, resumed ones included
  Counter tls_resumed{0};             // completed by resuming a session (ticket or cache)
  Counter tls_failed_timeout{0};      // handshake failures, by reason (tls/handshake_failure.h)
  Counter tls_failed_plain_http{0};
  Counter tls_failed_protocol_version{0};
  Counter tls_failed_no_shared_cipher{0};
  Counter tls_failed_client_certificate{0};
  Counter tls_failed_closed{0};
  Counter tls_failed_other{0};
  // Resilience (docs/resilience.md): each timeout by stage, and requests refused before an upstream
  // was tried.
  Counter upstream_timeout_connect{0};
  Counter upstream_timeout_send{0};
  Counter upstream_timeout_first_byte{0};
  Counter upstream_timeout_idle{0};
  Counter upstream_timeout_total{0};
  Counter upstream_resets{0};             // a connection closed or reset under a request
  Counter upstream_refused{0};            // connect refused or failed
  Counter upstream_breaker_open{0};       // 503 at once: every usable server's breaker is open
  Counter upstream_unhealthy{0};          // 503 at once: every server failed its health checks
  Counter upstream_queue_full{0};         // 503: over max_in_flight with a full queue
  Counter upstream_queue_timeout{0};      // 503: queued longer than queue.timeout
  Counter upstream_queued{0};             // requests that waited in the queue
  Counter upstream_retry_budget_exhausted{0};  // a retry skipped because the budget was spent
  Counter breaker_opened{0};
  Counter breaker_half_opened{0};
  Counter breaker_closed{0};
};

// How a counter is exported to Prometheus: as its own metric `family` (a counter or a gauge), or as
// one `label` value of a labelled family (e.g. sluice_http_errors_total{reason="header_timeout"}).
struct NodeCounterInfo {
  std::string_view name;  // JSON key
  Counter NodeCounters::*member;
  bool gauge;
  std::string_view family;  // Prometheus metric name
  std::string_view label;   // "reason" label value, or empty
  std::string_view help;    // Prometheus HELP of the family
};

inline constexpr std::string_view kHttpErrorsHelp = "Requests refused with an HTTP error, by reason.";
inline constexpr std::string_view kUpstreamErrorsHelp = "Failed upstream attempts, by reason.";
inline constexpr std::string_view kTlsFailuresHelp = "TLS handshakes that did not complete, by reason.";
inline constexpr std::string_view kStageTimeoutsHelp = "Upstream attempts that timed out, by stage.";
inline constexpr std::string_view kFailuresHelp = "Upstream attempts that failed without a timeout, by reason.";
inline constexpr std::string_view kRejectedHelp = "Requests answered 503 before any upstream server was tried, by reason.";
inline constexpr std::string_view kBreakerHelp = "Circuit breaker state changes, by the state entered.";

// Entries of one labelled family are contiguous.
inline constexpr std::array<NodeCounterInfo, 46> kNodeCounters = {{
    {"connections_accepted", &NodeCounters::connections_accepted, false, "sluice_connections_accepted_total",
     "", "Client connections accepted."},
    {"connections_active", &NodeCounters::connections_active, true, "sluice_connections_active", "",
     "Client connections currently open."},
    {"connections_refused", &NodeCounters::connections_refused, false, "sluice_connections_refused_total", "",
     "Client connections closed at once because the connection limit was reached."},
    {"connections_refused_per_ip", &NodeCounters::connections_refused_per_ip, false,
     "sluice_connections_refused_per_ip_total", "",
     "Client connections answered 503 and closed because their address had max_connections_per_ip open."},
    {"connections_refused_listener", &NodeCounters::connections_refused_listener, false,
     "sluice_connections_refused_listener_total", "",
     "Client connections refused because their listener had max_connections open (per listener: "
     "sluice_listener_connections_refused_total)."},
    {"requests_total", &NodeCounters::requests_total, false, "sluice_node_requests_total", "",
     "Requests parsed by the node, including those rejected before routing."},
    {"bad_requests", &NodeCounters::bad_requests, false, "sluice_http_errors_total", "bad_request",
     kHttpErrorsHelp},
    {"header_too_large", &NodeCounters::header_too_large, false, "sluice_http_errors_total",
     "header_too_large", kHttpErrorsHelp},
    {"uri_too_long", &NodeCounters::uri_too_long, false, "sluice_http_errors_total", "uri_too_long",
     kHttpErrorsHelp},
    {"body_too_large", &NodeCounters::body_too_large, false, "sluice_http_errors_total", "body_too_large",
     kHttpErrorsHelp},
    {"header_timeout", &NodeCounters::header_timeout, false, "sluice_http_errors_total", "header_timeout",
     kHttpErrorsHelp},
    {"body_timeout", &NodeCounters::body_timeout, false, "sluice_http_errors_total", "body_timeout",
     kHttpErrorsHelp},
    {"slow_head", &NodeCounters::slow_head, false, "sluice_http_errors_total", "slow_head", kHttpErrorsHelp},
    {"slow_body", &NodeCounters::slow_body, false, "sluice_http_errors_total", "slow_body", kHttpErrorsHelp},
    {"idle_timeout_closes", &NodeCounters::idle_timeout_closes, false, "sluice_idle_timeout_closes_total", "",
     "Keep-alive client connections closed after their idle timeout."},
    {"upstream_connect_failures", &NodeCounters::upstream_connect_failures, false,
     "sluice_upstream_errors_total", "connect_failure", kUpstreamErrorsHelp},
    {"upstream_timeouts", &NodeCounters::upstream_timeouts, false, "sluice_upstream_errors_total", "timeout",
     kUpstreamErrorsHelp},
    {"upstream_errors", &NodeCounters::upstream_errors, false, "sluice_upstream_errors_total", "bad_response",
     kUpstreamErrorsHelp},
    {"upstream_retries", &NodeCounters::upstream_retries, false, "sluice_upstream_retries_total", "",
     "Requests retried on another upstream server."},
    {"upstream_connections_opened", &NodeCounters::upstream_connections_opened, false,
     "sluice_upstream_connections_opened_total", "", "Upstream connections opened."},
    {"upstream_connections_reused", &NodeCounters::upstream_connections_reused, false,
     "sluice_upstream_connections_reused_total", "", "Upstream requests sent on a kept-alive connection."},
    {"tls_handshakes", &NodeCounters::tls_handshakes, false, "sluice_tls_handshakes_total", "",
     "TLS handshakes completed on client connections, resumed ones included."},
    {"tls_resumed", &NodeCounters::tls_resumed, false, "sluice_tls_resumed_handshakes_total", "",
     "TLS handshakes completed by resuming a session."},
    {"tls_failed_timeout", &NodeCounters::tls_failed_timeout, false, "sluice_tls_handshake_failures_total",
     "timeout", kTlsFailuresHelp},
    {"tls_failed_plain_http", &NodeCounters::tls_failed_plain_http, false,
     "sluice_tls_handshake_failures_total", "plain_http", kTlsFailuresHelp},
    {"tls_failed_protocol_version", &NodeCounters::tls_failed_protocol_version, false,
     "sluice_tls_handshake_failures_total", "protocol_version", kTlsFailuresHelp},
    {"tls_failed_no_shared_cipher", &NodeCounters::tls_failed_no_shared_cipher, false,
     "sluice_tls_handshake_failures_total", "no_shared_cipher", kTlsFailuresHelp},
    {"tls_failed_client_certificate", &NodeCounters::tls_failed_client_certificate, false,
     "sluice_tls_handshake_failures_total", "client_certificate", kTlsFailuresHelp},
    {"tls_failed_closed", &NodeCounters::tls_failed_closed, false, "sluice_tls_handshake_failures_total",
     "closed", kTlsFailuresHelp},
    {"tls_failed_other", &NodeCounters::tls_failed_other, false, "sluice_tls_handshake_failures_total",
     "other", kTlsFailuresHelp},
    {"upstream_timeout_connect", &NodeCounters::upstream_timeout_connect, false, "sluice_upstream_timeouts_total",
     "connect", kStageTimeoutsHelp},
    {"upstream_timeout_send", &NodeCounters::upstream_timeout_send, false, "sluice_upstream_timeouts_total", "send",
     kStageTimeoutsHelp},
    {"upstream_timeout_first_byte", &NodeCounters::upstream_timeout_first_byte, false,
     "sluice_upstream_timeouts_total", "first_byte", kStageTimeoutsHelp},
    {"upstream_timeout_idle", &NodeCounters::upstream_timeout_idle, false, "sluice_upstream_timeouts_total", "idle",
     kStageTimeoutsHelp},
    {"upstream_timeout_total", &NodeCounters::upstream_timeout_total, false, "sluice_upstream_timeouts_total",
     "total", kStageTimeoutsHelp},
    {"upstream_resets", &NodeCounters::upstream_resets, false, "sluice_upstream_attempt_failures_total", "reset",
     kFailuresHelp},
    {"upstream_refused", &NodeCounters::upstream_refused, false, "sluice_upstream_attempt_failures_total", "refused",
     kFailuresHelp},
    {"upstream_breaker_open", &NodeCounters::upstream_breaker_open, false, "sluice_upstream_rejected_total",
     "breaker_open", kRejectedHelp},
    {"upstream_unhealthy", &NodeCounters::upstream_unhealthy, false, "sluice_upstream_rejected_total", "unhealthy",
     kRejectedHelp},
    {"upstream_queue_full", &NodeCounters::upstream_queue_full, false, "sluice_upstream_rejected_total",
     "queue_full", kRejectedHelp},
    {"upstream_queue_timeout", &NodeCounters::upstream_queue_timeout, false, "sluice_upstream_rejected_total",
     "queue_timeout", kRejectedHelp},
    {"upstream_queued", &NodeCounters::upstream_queued, false, "sluice_upstream_queued_total", "",
     "Requests that waited in an upstream's queue (over max_in_flight)."},
    {"upstream_retry_budget_exhausted", &NodeCounters::upstream_retry_budget_exhausted, false,
     "sluice_upstream_retries_skipped_total", "budget", "Retries not made, by reason."},
    {"breaker_opened", &NodeCounters::breaker_opened, false, "sluice_circuit_breaker_changes_total", "opened",
     kBreakerHelp},
    {"breaker_half_opened", &NodeCounters::breaker_half_opened, false, "sluice_circuit_breaker_changes_total",
     "half_opened", kBreakerHelp},
    {"breaker_closed", &NodeCounters::breaker_closed, false, "sluice_circuit_breaker_changes_total", "closed",
     kBreakerHelp},
}};
inline constexpr size_t kNodeCounterCount = kNodeCounters.size();

// The table index of a counter, e.g. nodeCounterIndex(&NodeCounters::connections_active).
constexpr size_t nodeCounterIndex(Counter NodeCounters::*member) {
  for (size_t i = 0; i < kNodeCounters.size(); ++i) {
    if (kNodeCounters[i].member == member) {
      return i;
    }
  }
  return kNodeCounters.size();
}

static_assert(sizeof(NodeCounters) == kNodeCounterCount * sizeof(Counter),
              "every counter needs a table entry");

}  // namespace sluice::stats
