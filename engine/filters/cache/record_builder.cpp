#include "engine/filters/cache/record_builder.h"

#include "engine/core/http_date_codec.h"
#include "engine/filters/cache/cache_key.h"
#include "engine/filters/cache/cached_response.h"
#include "engine/filters/cache/header_block.h"

namespace sluice::filters::cache {

namespace {

std::string_view firstValue(const http::HeaderList& headers, std::string_view name) {
  const http::HeaderField* h = http::findHeader(headers, name);
  return h != nullptr ? http::trimOws(h->value) : std::string_view();
}

}  // namespace

StoredMeta storedMetaFor(int status, const http::HeaderList& headers, const Freshness& freshness,
                         int64_t request_time_s, int64_t response_time_s, std::string_view vary_names) {
  StoredMeta meta;
  meta.request_time_s = request_time_s;
  meta.response_time_s = response_time_s;
  meta.corrected_initial_age_s = freshness.corrected_initial_age_s;
  meta.freshness_lifetime_s = freshness.lifetime_s;
  meta.stale_while_revalidate_s = freshness.stale_while_revalidate_s;
  meta.stale_if_error_s = freshness.stale_if_error_s;
  meta.flags = freshness.flags;
  meta.status = status;
  meta.etag = firstValue(headers, "etag");
  meta.last_modified = firstValue(headers, "last-modified");
  meta.vary = vary_names;
  return meta;
}

std::string buildRecord(const http::ResponseHead& response, const CacheControl& response_cc,
                        const PolicyLimits& policy, int64_t request_time_s, int64_t response_time_s,
                        std::string_view body) {
  const Freshness freshness =
      computeFreshness(response, response_cc, policy, request_time_s, response_time_s);
  const std::string vary = canonicalVary(response.headers);
  const StoredMeta meta =
      storedMetaFor(response.status, response.headers, freshness, request_time_s, response_time_s, vary);
  std::string block = buildHeaderBlock(response.headers);
  if (http::findHeader(response.headers, "date") == nullptr) {
    // A cache adds the Date a response lacks (RFC 9110, 6.6.1), so every hit carries one.
    appendHeaderLine(block, "Date", core::formatHttpDate(response_time_s));
  }
  return encodeRecord(meta, block, body);
}

}  // namespace sluice::filters::cache
