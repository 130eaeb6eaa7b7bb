#pragma once
// Builds the record to store for a response, from its head, its Cache-Control and the route's
// policy: freshness, validators, canonical Vary, header block, body. Pure.

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/filters/cache/cache_control.h"
#include "engine/filters/cache/freshness.h"
#include "engine/filters/cache/policy_limits.h"
#include "engine/filters/cache/stored_meta.h"
#include "engine/http/message_head.h"

namespace sluice::filters::cache {

// The meta for a response with these headers; etag and last_modified point into `headers`' values,
// vary into `vary_names`.
StoredMeta storedMetaFor(int status, const http::HeaderList& headers, const Freshness& freshness,
                         int64_t request_time_s, int64_t response_time_s, std::string_view vary_names);

// The encoded record (cached_response.h) for a response decideStore() accepted; `body` is its whole
// body. The header block always has a Date: the origin's, else the response time (RFC 9110, 6.6.1).
// decodeRecord() of the result gives its meta: meta.vary for the keys, worthStoring() and reclaimAt() for the
// store.
std::string buildRecord(const http::ResponseHead& response, const CacheControl& response_cc,
                        const PolicyLimits& policy, int64_t request_time_s, int64_t response_time_s,
                        std::string_view body);

}  // namespace sluice::filters::cache
