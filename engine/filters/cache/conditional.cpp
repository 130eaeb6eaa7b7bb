#include "engine/filters/cache/conditional.h"

#include <optional>

#include "engine/core/http_date_codec.h"
#include "engine/filters/cache/entity_tag.h"
#include "engine/filters/cache/header_block.h"

namespace sluice::filters::cache {

namespace {

using http::equalsIgnoreCase;
using http::HeaderField;

// Whether a list field is present, and whether any member of any of its lines matches the entry's
// ETag: a list split over several lines is the same list (RFC 9110, 5.3), so no joining is needed.
struct TagCondition {
  bool present = false;
  bool matches = false;
};

TagCondition tagCondition(const http::HeaderList& headers, std::string_view name, std::string_view etag,
                          TagCompare how) {
  TagCondition c;
  for (const HeaderField& h : headers) {
    if (equalsIgnoreCase(h.name, name)) {
      c.present = true;
      c.matches = c.matches || tagListMatches(h.value, etag, how);
    }
  }
  return c;
}

// An HTTP-date request field: nullopt when absent, repeated or invalid (RFC 9110, 13.1.3 and 13.1.4).
std::optional<int64_t> dateField(const http::HeaderList& headers, std::string_view name) {
  const HeaderField* found = nullptr;
  for (const HeaderField& h : headers) {
    if (equalsIgnoreCase(h.name, name)) {
      if (found != nullptr) {
        return std::nullopt;
      }
      found = &h;
    }
  }
  return found != nullptr ? core::parseHttpDate(found->value) : std::nullopt;
}

// The entry's modification date for date conditionals, nullopt when it has none.
std::optional<int64_t> lastModified(const RecordView& entry) {
  return entry.meta.last_modified.empty() ? std::nullopt : core::parseHttpDate(entry.meta.last_modified);
}

int64_t modifiedOrDate(const RecordView& entry) {
  if (const std::optional<int64_t> lm = lastModified(entry)) {
    return *lm;
  }
  if (const std::optional<int64_t> date = core::parseHttpDate(blockField(entry.header_block, "date"))) {
    return *date;
  }
  return entry.meta.response_time_s;
}

}  // namespace

ConditionalResult evaluateConditionals(const http::RequestHead& request, const RecordView& entry,
                                       int64_t now_s) {
  const http::HeaderList& headers = request.headers;
  const TagCondition if_match = tagCondition(headers, "if-match", entry.meta.etag, TagCompare::Strong);
  if (if_match.present) {
    if (!if_match.matches) {
      return ConditionalResult::PreconditionFailed;
    }
  } else if (const std::optional<int64_t> since = dateField(headers, "if-unmodified-since")) {
    // Without a modification date the field is ignored (RFC 9110, 13.1.4).
    const std::optional<int64_t> lm = lastModified(entry);
    if (lm && *lm > *since) {
      return ConditionalResult::PreconditionFailed;
    }
  }
  if (request.method != "GET" && request.method != "HEAD") {
    return ConditionalResult::Serve;
  }
  const TagCondition if_none_match =
      tagCondition(headers, "if-none-match", entry.meta.etag, TagCompare::Weak);
  if (if_none_match.present) {
    return if_none_match.matches ? ConditionalResult::NotModified : ConditionalResult::Serve;
  }
  const std::optional<int64_t> since = dateField(headers, "if-modified-since");
  if (since && *since <= now_s && modifiedOrDate(entry) <= *since) {
    return ConditionalResult::NotModified;
  }
  return ConditionalResult::Serve;
}

std::string notModifiedHeaderBlock(std::string_view header_block) {
  static constexpr std::string_view kKept[] = {"cache-control", "content-location", "date", "etag",
                                               "expires",       "last-modified",    "vary"};
  std::string out;
  for (const HeaderField& h : parseHeaderBlock(header_block)) {
    for (std::string_view kept : kKept) {
      if (equalsIgnoreCase(h.name, kept)) {
        appendHeaderLine(out, h.name, h.value);
        break;
      }
    }
  }
  return out;
}

}  // namespace sluice::filters::cache
