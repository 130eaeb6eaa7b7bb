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
  Counter requests_total{0};       // every parsed request, routed or not
  Counter bad_requests{0};         // 400
  Counter header_too_large{0};     // 431
  Counter uri_too_long{0};         // 414
  Counter body_too_large{0};       // 413
  Counter header_timeout{0};       // 408
  Counter body_timeout{0};
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

// Entries of one labelled family are contiguous.
inline constexpr std::array<NodeCounterInfo, 27> kNodeCounters = {{
    {"connections_accepted", &NodeCounters::connections_accepted, false, "sluice_connections_accepted_total",
     "", "Client connections accepted."},
    {"connections_active", &NodeCounters::connections_active, true, "sluice_connections_active", "",
     "Client connections currently open."},
    {"connections_refused", &NodeCounters::connections_refused, false, "sluice_connections_refused_total", "",
     "Client connections closed at once because the connection limit was reached."},
    {"connections_refused_per_ip", &NodeCounters::connections_refused_per_ip, false,
     "sluice_connections_refused_per_ip_total", "",
     "Client connections answered 503 and closed because their address had max_connections_per_ip open."},
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
