#pragma once
// Entity-tags (RFC 9110, 8.8.3): comparison and matching against If-Match / If-None-Match lists. Pure.

#include <string_view>

namespace sluice::filters::cache {

enum class TagCompare : bool { Weak, Strong };

// Weak: the opaque-tags are equal, W/ or not. Strong: equal and neither is weak. A malformed tag
// (not W/"..." or "...") matches nothing.
bool tagsMatch(std::string_view a, std::string_view b, TagCompare how);

// True when a list ("*" or entity-tags, comma-separated; a tag may contain commas) has a member that
// matches `etag`; "*" matches any current representation, even one without an ETag.
bool tagListMatches(std::string_view list, std::string_view etag, TagCompare how);

}  // namespace sluice::filters::cache
