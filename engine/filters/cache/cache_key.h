#pragma once
// Cache keys. The primary key names the resource exactly as a purge by URL does, so the keys of one
// site or path prefix are adjacent in the store's key order:
//     "http://" + lower-case host (":80" / ":443" dropped) + path + ("?" + query, when not empty)
// The scheme is always "http://": the listener's TLS does not change the resource.
//
// The full key of a stored response is primary + '\0' + variant. The variant is "" for a response
// without Vary; with Vary, it encodes the request's values of the Vary fields (RFC 9111, 4.1), and the
// slot primary + '\0' holds a VaryRecord (vary_record.h) naming those fields instead of a response.
// Every key of a resource therefore starts with primary + '\0': a URL purge deletes that range.
// Pure; any thread.

#include <optional>
#include <string>
#include <string_view>

#include "engine/http/message_head.h"

namespace sluice::filters::cache {

inline constexpr char kVariantSeparator = '\0';

std::string primaryKey(const http::RequestHead& request);

// The primary key of an absolute URL ("http://Host:80/p?q", "https://host/p"), for purges and for
// invalidation by Location; nullopt when it is not an http(s) URL with a host.
std::optional<std::string> primaryKeyFromUrl(std::string_view url);

// The host as it appears in keys: lower case, without a default port (":80", ":443") or an empty one.
std::string normalizeHost(std::string_view host);

// The canonical Vary names of a response: every Vary line's field names, lower-cased, sorted,
// deduplicated, joined with ","; names that are not tokens are dropped. "" without Vary, "*" when any
// member is "*". This is what StoredMeta::vary and VaryRecord hold.
std::string canonicalVary(const http::HeaderList& response_headers);

// primary + '\0' + the encoding of the request's values of `vary_names` (canonical or not: they are
// canonicalised again). A field's value is all its lines, each OWS-trimmed, joined with ", "; an absent
// field is distinct from an empty one. Each name is written as `name;` when absent or
// `name=LEN:VALUE` when present ('=' and ';' cannot occur in a token, the value is length-prefixed).
std::string variantKey(std::string_view primary, const http::RequestHead& request,
                       std::string_view vary_names);

}  // namespace sluice::filters::cache
