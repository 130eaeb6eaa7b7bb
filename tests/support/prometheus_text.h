#pragma once
// Reading one series out of the node's Prometheus text (/metrics on control.admin_http).

#include <QByteArray>

namespace sluice::test {

// The value of the line that starts with `series` (e.g. `sluice_tls_handshakes_total` or
// `sluice_tls_handshake_failures_total{reason="timeout"}`) followed by a space; -1 if absent.
double metricValue(const QByteArray& text, const QByteArray& series);
// GET /metrics from 127.0.0.1:admin_port, then metricValue; -1 if the request or the series fails.
double fetchMetric(int admin_port, const QByteArray& series);

}  // namespace sluice::test
