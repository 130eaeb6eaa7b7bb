#pragma once
// The defaults a listener gets when its `tls:` block does not override them. Header-only constants.

namespace sluice::tls {

// Mozilla's "intermediate" TLS 1.2 cipher list (server-side TLS guidelines, v5.7): AEAD only,
// forward secrecy only. TLS 1.3 suites keep OpenSSL's default (all of them are fine).
inline constexpr const char* kIntermediateCiphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";

// Key exchange groups, same profile.
inline constexpr const char* kGroups = "X25519:prime256v1:secp384r1";

// ALPN protocols we select, in preference order, in wire format (length-prefixed). `h2` goes in
// front when the HTTP/2 codec exists.
inline constexpr unsigned char kAlpnProtocols[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

// Sessions kept per listener for session-id resumption (TLS 1.2 clients without tickets): OpenSSL
// evicts the oldest beyond this. About 1 KiB each.
inline constexpr long kSessionCacheSize = 20000;

}  // namespace sluice::tls
