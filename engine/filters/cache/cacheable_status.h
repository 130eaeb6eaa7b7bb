#pragma once
// Which response statuses the cache stores (RFC 9111, 3 and RFC 9110, 15.1). Pure.

namespace sluice::filters::cache {

// Cacheable by default: stored without explicit freshness, with the policy's default_ttl as the
// heuristic lifetime (RFC 9110, 15.1): 200 203 204 300 301 308 404 405 410 414 501.
bool isHeuristicallyCacheable(int status);

// Statuses whose caching semantics the cache implements ("understood", RFC 9111, 5.2.2.3): the
// heuristically cacheable ones, plus 302 303 307 400 403 451, which are stored only with explicit
// freshness or "public". Never: 1xx, 206 (ranges are not supported), 304 (it updates an entry, it is
// not one), statuses that depend on request fields outside the key (401 407 412 416 429 ...), and 5xx
// other than 501 (a transient error must not replace the good entry that stale-if-error would serve).
bool isUnderstoodStatus(int status);

}  // namespace sluice::filters::cache
