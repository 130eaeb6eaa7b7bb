#pragma once
// Reads one sample from a node's Prometheus text (GET /metrics on its admin_http port), for tests
// that check a counter moved by an exact amount.

#include <QByteArray>

namespace sluice::test {

// The value of the sample whose name and labels are exactly `series` (e.g.
// `sluice_upstream_timeouts_total{reason="idle"}`); -1 when there is no such sample or no answer.
double metricValue(int admin_port, const QByteArray& series);

}  // namespace sluice::test

namespace sluice::test {

// Polls metricValue until it equals `value` (metrics are rolled up once a second); false on timeout.
bool waitForMetric(int admin_port, const QByteArray& series, double value, int timeout_ms = 3000);

}  // namespace sluice::test
