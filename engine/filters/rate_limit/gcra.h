#pragma once
// token_bucket as GCRA (the generic cell rate algorithm): the state is one timestamp, the
// theoretical arrival time (TAT) of the next request if every request came exactly on schedule.
// A request is allowed when the backlog it would leave, TAT' - now, is at most limit + burst
// intervals; a bucket that is full again (TAT in the past) behaves like a new key.
//
// With interval T = window / limit: limit + burst requests pass at once from a full bucket, then
// one per T. The TAT is stored modulo 2^59 ns (18 years) and read back relative to now, so parameter
// changes (limit, window, burst) apply to the stored state as it is: nothing is reset by a reload.

#include "engine/filters/rate_limit/decision.h"

namespace sluice::rate_limit {

AlgorithmParams gcraParams(uint64_t limit, uint64_t window_ns, uint64_t burst);
Decision gcraDecide(const AlgorithmParams& p, uint64_t value, uint64_t now_ns);
// Gives back the allowance of one allowed request (another policy refused it).
uint64_t gcraRefund(const AlgorithmParams& p, uint64_t value, uint64_t now_ns);

}  // namespace sluice::rate_limit
