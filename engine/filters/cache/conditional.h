#pragma once
// Client conditional requests answered from a stored entry (RFC 9110, 13.1 and 13.2.2; RFC 9111,
// 4.3.2). Pure; called on a hit before sending the entry.

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/filters/cache/cached_response.h"
#include "engine/http/message_head.h"

namespace sluice::filters::cache {

enum class ConditionalResult : uint8_t {
  Serve,               // no precondition, or all passed: send the entry
  NotModified,         // send 304 with notModifiedHeaderBlock()
  PreconditionFailed,  // send 412
};

// RFC 9110, 13.2.2 in order: If-Match (strong comparison, "*"), else If-Unmodified-Since; then, for GET
// and HEAD only, If-None-Match (weak comparison, lists, "*"), else If-Modified-Since. A date is
// compared with the entry's Last-Modified, else its Date, else its response time (RFC 9111, 4.3.2).
// Date fields that are invalid, list-valued or (If-Modified-Since) later than now_s are ignored.
// If-Range is left alone: ranges are not served from the cache.
ConditionalResult evaluateConditionals(const http::RequestHead& request, const RecordView& entry,
                                       int64_t now_s);

// The lines of a stored header block that a 304 carries (RFC 9110, 15.4.5): Cache-Control,
// Content-Location, Date, ETag, Expires, Last-Modified, Vary.
std::string notModifiedHeaderBlock(std::string_view header_block);

}  // namespace sluice::filters::cache
