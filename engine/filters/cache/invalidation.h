#pragma once
// Invalidation after an unsafe request (RFC 9111, 4.4): a non-error response (2xx, 3xx) to a method
// other than GET, HEAD, OPTIONS and TRACE invalidates the target URI and, when on the same host, the
// URIs in Location and Content-Location. The store deletes every key that starts with
// primary + '\0' (all variants and the vary record) for each key returned. Pure.

#include <string>
#include <vector>

#include "engine/http/message_head.h"

namespace sluice::filters::cache {

bool isSafeMethod(std::string_view method);

// The primary keys to invalidate, deduplicated, the target's first; empty when nothing is invalidated.
// Location / Content-Location may be absolute ("http://host/p", "//host/p") or relative ("/p", "p",
// "?q"), resolved against the request target (RFC 3986, 5.2, with dot segments removed).
std::vector<std::string> invalidatedKeys(const http::RequestHead& request,
                                         const http::ResponseHead& response);

}  // namespace sluice::filters::cache
