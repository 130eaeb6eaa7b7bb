#pragma once
// A numeric IPv4 or IPv6 address in binary form, CIDR ranges, and prefix masking. Used to key rate
// limits by client address and to decide which peers are trusted proxies. Pure values; no
// allocation. An IPv4-mapped IPv6 address (::ffff:a.b.c.d, what a dual-stack socket reports for an
// IPv4 client) is stored as the IPv4 address, so one client never has two identities.

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::core {

struct IpAddress {
  uint8_t family = 0;              // 4 or 6; 0 = none
  std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4

  bool valid() const { return family != 0; }
  uint8_t bits() const { return family == 4 ? 32 : 128; }
  // Only the first `prefix` bits kept (prefix >= bits(): unchanged).
  IpAddress masked(unsigned prefix) const;
  std::string str() const;

  bool operator==(const IpAddress&) const = default;
};

// "192.0.2.1", "2001:db8::1" (no brackets, no port, no zone); nullopt for anything else.
std::optional<IpAddress> parseIp(std::string_view text);
// The address of an AF_INET/AF_INET6 sockaddr; nullopt for other families.
std::optional<IpAddress> ipFromSockaddr(const sockaddr* address);

struct Cidr {
  IpAddress network;  // already masked to `prefix`
  uint8_t prefix = 0;

  bool contains(const IpAddress& ip) const;
};

// "10.0.0.0/8", "2001:db8::/32", or a bare address (a /32 or /128). Host bits set below the prefix
// are an error ("10.0.0.1/8"), because they usually mean a typo. `error` says why on failure.
std::optional<Cidr> parseCidr(std::string_view text, std::string* error = nullptr);

}  // namespace sluice::core
