#include "engine/core/ip_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

namespace sluice::core {
namespace {

constexpr std::array<uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

IpAddress fromV6(const uint8_t* raw) {
  IpAddress ip;
  if (std::memcmp(raw, kMappedPrefix.data(), kMappedPrefix.size()) == 0) {
    ip.family = 4;
    std::memcpy(ip.bytes.data(), raw + 12, 4);
    return ip;
  }
  ip.family = 6;
  std::memcpy(ip.bytes.data(), raw, 16);
  return ip;
}

}  // namespace

IpAddress IpAddress::masked(unsigned prefix) const {
  IpAddress out = *this;
  if (prefix >= bits()) {
    return out;
  }
  const size_t whole = prefix / 8;
  const unsigned rest = prefix % 8;
  size_t i = whole;
  if (rest != 0) {
    out.bytes[i] = static_cast<uint8_t>(out.bytes[i] & (0xff << (8 - rest)));
    ++i;
  }
  for (; i < out.bytes.size(); ++i) {
    out.bytes[i] = 0;
  }
  return out;
}

std::string IpAddress::str() const {
  char text[INET6_ADDRSTRLEN] = {0};
  if (family == 4) {
    inet_ntop(AF_INET, bytes.data(), text, sizeof(text));
  } else if (family == 6) {
    inet_ntop(AF_INET6, bytes.data(), text, sizeof(text));
  }
  return text;
}

std::optional<IpAddress> parseIp(std::string_view text) {
  char buffer[INET6_ADDRSTRLEN + 1];
  if (text.empty() || text.size() >= sizeof(buffer)) {
    return std::nullopt;
  }
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  uint8_t raw[16];
  if (text.find(':') == std::string_view::npos) {
    if (inet_pton(AF_INET, buffer, raw) != 1) {
      return std::nullopt;
    }
    IpAddress ip;
    ip.family = 4;
    std::memcpy(ip.bytes.data(), raw, 4);
    return ip;
  }
  if (inet_pton(AF_INET6, buffer, raw) != 1) {
    return std::nullopt;
  }
  return fromV6(raw);
}

std::optional<IpAddress> ipFromSockaddr(const sockaddr* address) {
  if (address->sa_family == AF_INET) {
    IpAddress ip;
    ip.family = 4;
    std::memcpy(ip.bytes.data(), &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, 4);
    return ip;
  }
  if (address->sa_family == AF_INET6) {
    return fromV6(reinterpret_cast<const uint8_t*>(&reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr));
  }
  return std::nullopt;
}

bool Cidr::contains(const IpAddress& ip) const {
  return ip.family == network.family && ip.masked(prefix) == network;
}

std::optional<Cidr> parseCidr(std::string_view text, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<Cidr> {
    if (error != nullptr) {
      *error = std::move(why);
    }
    return std::nullopt;
  };
  const size_t slash = text.find('/');
  std::optional<IpAddress> ip = parseIp(text.substr(0, slash));
  if (!ip) {
    return fail("not a numeric IPv4 or IPv6 address");
  }
  Cidr cidr;
  cidr.prefix = ip->bits();
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    unsigned prefix = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || prefix > ip->bits()) {
      return fail("the prefix length must be 0.." + std::to_string(ip->bits()));
    }
    cidr.prefix = static_cast<uint8_t>(prefix);
  }
  if (ip->masked(cidr.prefix) != *ip) {
    return fail("host bits are set below the prefix (did you mean " + ip->masked(cidr.prefix).str() + "/" +
                std::to_string(cidr.prefix) + "?)");
  }
  cidr.network = *ip;
  return cidr;
}

}  // namespace sluice::core
