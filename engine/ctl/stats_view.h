#pragma once
// How `sluice ctl stats` shows a snapshot (docs/control-protocol.md, "Snapshot") to a person: a
// headline (requests per second and per minute, latency percentiles, error and cache-hit shares),
// then tables per route, upstream server, rate limit and cache policy. Pure: JSON in, text out.

#include <nlohmann/json.hpp>
#include <string>

namespace sluice::ctl {

// The full view (stats, and each frame of stats --watch on a terminal).
std::string renderSnapshot(const nlohmann::json& snapshot);
// One line per snapshot, for stats --watch into a pipe or file:
// "18:45:57  1.52k req/s  p50 0.40  p95 1.20  p99 3.10 ms  5xx 0.3%  hit 93.1%  64 conns"
std::string renderSnapshotLine(const nlohmann::json& snapshot);
// stats history: one row per snapshot, oldest first.
std::string renderHistory(const nlohmann::json& snapshots);

// Shares over the snapshot's interval, 0 when idle: 5xx / requests, and cache (hits + stale) /
// (hits + stale + misses) over all policies.
double errorShare(const nlohmann::json& snapshot);
double cacheHitShare(const nlohmann::json& snapshot);

}  // namespace sluice::ctl
