#pragma once
// Which client a request counts against for client_ip keys. The peer address, unless the peer is
// a trusted proxy: then X-Forwarded-For is walked from the right (the hop the peer added last),
// skipping trusted proxies, and the first address that is not one is the client, as nginx's
// real_ip_recursive does. If every address is trusted, the leftmost one is the client; an entry
// that is not an address ends the walk at the last trusted hop (a forged or garbled entry is
// never believed). Several X-Forwarded-For fields count as one list, in order.

#include <span>

#include "engine/core/ip_address.h"
#include "engine/http/header_field.h"

namespace sluice::rate_limit {

core::IpAddress clientAddress(const core::IpAddress& peer, const http::HeaderList& headers,
                              std::span<const core::Cidr> trusted);

bool isTrusted(const core::IpAddress& ip, std::span<const core::Cidr> trusted);

}  // namespace sluice::rate_limit
