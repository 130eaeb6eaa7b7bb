#include "engine/filters/cache/revalidation.h"

#include "engine/core/http_date_codec.h"
#include "engine/filters/cache/cache_control.h"
#include "engine/filters/cache/cache_key.h"
#include "engine/filters/cache/entity_tag.h"
#include "engine/filters/cache/freshness.h"
#include "engine/filters/cache/header_block.h"
#include "engine/filters/cache/record_builder.h"
#include "engine/http/hop_by_hop.h"

namespace sluice::filters::cache {

namespace {

using http::equalsIgnoreCase;
using http::HeaderField;

bool carries(const http::HeaderList& headers, std::string_view name) {
  for (const HeaderField& h : headers) {
    if (equalsIgnoreCase(h.name, name)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string conditionalHeaders(const StoredMeta& meta) {
  std::string out;
  if (!meta.etag.empty()) {
    appendHeaderLine(out, "If-None-Match", meta.etag);
  }
  if (!meta.last_modified.empty()) {
    appendHeaderLine(out, "If-Modified-Since", meta.last_modified);
  }
  return out;
}

bool isCacheValidatorField(std::string_view name) {
  return equalsIgnoreCase(name, "if-none-match") || equalsIgnoreCase(name, "if-modified-since");
}

bool notModifiedApplies(const StoredMeta& meta, const http::HeaderList& not_modified_headers) {
  if (const HeaderField* etag = http::findHeader(not_modified_headers, "etag")) {
    return tagsMatch(etag->value, meta.etag, TagCompare::Weak);
  }
  if (const HeaderField* lm = http::findHeader(not_modified_headers, "last-modified")) {
    return http::trimOws(lm->value) == meta.last_modified;
  }
  return true;
}

std::string mergeHeaders304(std::string_view stored_block, const http::HeaderList& not_modified_headers) {
  const std::string_view connection = http::connectionHeader(not_modified_headers);
  http::HeaderList updates;
  for (const HeaderField& h : not_modified_headers) {
    if (isStoredField(h.name, connection)) {
      updates.push_back(h);
    }
  }
  std::string out;
  out.reserve(stored_block.size());
  for (const HeaderField& h : parseHeaderBlock(stored_block)) {
    if (!carries(updates, h.name)) {
      appendHeaderLine(out, h.name, h.value);
    }
  }
  for (const HeaderField& h : updates) {
    appendHeaderLine(out, h.name, h.value);
  }
  return out;
}

std::optional<std::string> refreshRecord(const RecordView& stored, const http::ResponseHead& not_modified,
                                         const PolicyLimits& policy, int64_t request_time_s,
                                         int64_t response_time_s) {
  if (!notModifiedApplies(stored.meta, not_modified.headers)) {
    return std::nullopt;
  }
  // A 304 without Date is dated on receipt (RFC 9110, 6.6.1): the stored Date would make the
  // refreshed entry look as old as the original.
  http::HeaderList fields = not_modified.headers;
  std::string date;
  if (http::findHeader(fields, "date") == nullptr) {
    date = core::formatHttpDate(response_time_s);
    fields.push_back({"Date", date});
  }
  const std::string block = mergeHeaders304(stored.header_block, fields);
  // The updated response as freshness sees it: the merged fields plus the 304's Age (Age is never
  // stored, but it says how old the 304 is).
  http::ResponseHead updated;
  updated.status = stored.meta.status;
  updated.headers = parseHeaderBlock(block);
  if (const HeaderField* age = http::findHeader(not_modified.headers, "age")) {
    updated.headers.push_back(*age);
  }
  const CacheControl cc = responseCacheControl(updated.headers);
  const Freshness freshness = computeFreshness(updated, cc, policy, request_time_s, response_time_s);
  const std::string vary = canonicalVary(updated.headers);
  const StoredMeta meta =
      storedMetaFor(stored.meta.status, updated.headers, freshness, request_time_s, response_time_s, vary);
  return encodeRecord(meta, block, stored.body);
}

}  // namespace sluice::filters::cache
