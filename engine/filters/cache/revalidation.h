#pragma once
// Revalidating a stored entry with the origin (RFC 9111, 4.3): the conditional request fields, and
// the refreshed entry after a 304. Pure.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/filters/cache/cached_response.h"
#include "engine/filters/cache/policy_limits.h"
#include "engine/http/message_head.h"

namespace sluice::filters::cache {

// "If-None-Match: <etag>\r\n" and/or "If-Modified-Since: <last-modified>\r\n" (the stored values
// verbatim, RFC 9110, 13.1.3); "" when the entry has no validator: fetch it unconditionally. An
// owning string: the entry's views die with the read transaction, the upstream request lives longer.
std::string conditionalHeaders(const StoredMeta& meta);

// If-None-Match and If-Modified-Since: the cache's own validators. Drop the client's when the cache
// revalidates an entry or fetches a storable miss (the origin's 304 would answer the client, not the
// cache); the client's conditional is then answered from the entry (conditional.h). If-Match and
// If-Unmodified-Since go upstream untouched.
bool isCacheValidatorField(std::string_view name);

// Does a 304 apply to the entry (RFC 9111, 4.3.4)? Its ETag must match the stored one (weak
// comparison); without an ETag, its Last-Modified must equal the stored one; with neither, it applies.
bool notModifiedApplies(const StoredMeta& meta, const http::HeaderList& not_modified_headers);

// The stored block updated with a 304's fields (RFC 9111, 3.2): each field the 304 carries replaces
// every stored line of that name; fields a stored response never carries (header_block.h) are skipped.
// Untouched lines keep their order; the 304's fields follow.
std::string mergeHeaders304(std::string_view stored_block, const http::HeaderList& not_modified_headers);

// The record after a 304: merged header block (a 304 without Date counts as dated at response_time_s),
// freshness recomputed from it (Cache-Control, Expires, Date as updated; the 304's Age) with the new
// request/response times, validators and Vary from the merged fields, the stored status and body. nullopt
// when the 304 does not apply (notModifiedApplies): fetch the resource again without conditionals. `stored`
// may be a view into the store: the result owns its bytes.
std::optional<std::string> refreshRecord(const RecordView& stored, const http::ResponseHead& not_modified,
                                         const PolicyLimits& policy, int64_t request_time_s,
                                         int64_t response_time_s);

}  // namespace sluice::filters::cache
