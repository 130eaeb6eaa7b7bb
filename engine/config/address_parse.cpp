#include "engine/config/address_parse.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>

namespace sluice::config {
namespace {

bool isIpv4(const std::string& host) {
  in_addr addr{};
  return inet_pton(AF_INET, host.c_str(), &addr) == 1;
}

bool isIpv6(const std::string& host) {
  in6_addr addr{};
  return inet_pton(AF_INET6, host.c_str(), &addr) == 1;
}

// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens.
bool isHostName(std::string_view host) {
  if (host.empty() || host.size() > 253) {
    return false;
  }
  size_t label_len = 0;
  char prev = '.';
  for (char c : host) {
    if (c == '.') {
      if (label_len == 0 || prev == '-') {
        return false;
      }
      label_len = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               (c == '-' && label_len > 0)) {
      if (++label_len > 63) {
        return false;
      }
    } else {
      return false;
    }
    prev = c;
  }
  if (prev == '.' || prev == '-') {
    return false;
  }
  // An all-digit last label is a mistyped IPv4 address ("10.0.0.300"), not a name.
  std::string_view last = host.substr(host.rfind('.') == std::string_view::npos ? 0 : host.rfind('.') + 1);
  return last.find_first_not_of("0123456789") != std::string_view::npos;
}

std::optional<Address> fail(std::string* error, std::string reason) {
  if (error != nullptr) {
    *error = std::move(reason);
  }
  return std::nullopt;
}

}  // namespace

std::optional<Address> parseAddress(std::string_view text, bool require_numeric_host) {
  return parseAddress(text, require_numeric_host, nullptr);
}

std::optional<Address> parseAddress(std::string_view text, bool require_numeric_host, std::string* error) {
  Address out;
  out.text = std::string(text);
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) {
      return fail(error, "missing ']' after the IPv6 address");
    }
    out.host = std::string(text.substr(1, close - 1));
    if (!isIpv6(out.host)) {
      return fail(error, "'" + out.host + "' is not an IPv6 address");
    }
    std::string_view rest = text.substr(close + 1);
    if (rest.empty() || rest.front() != ':') {
      return fail(error, "expected :PORT after ']'");
    }
    port_text = rest.substr(1);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return fail(error, "expected HOST:PORT");
    }
    out.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    if (out.host.find(':') != std::string::npos) {
      return fail(error, "write an IPv6 address in brackets, e.g. [::1]:8080");
    }
    if (out.host.empty()) {
      return fail(error, "missing host (use 0.0.0.0 for all interfaces)");
    }
    if (require_numeric_host && !isIpv4(out.host)) {
      return fail(error, "host must be a numeric IP address, got '" + out.host + "'");
    }
    if (!require_numeric_host && !isIpv4(out.host) && !isHostName(out.host)) {
      return fail(error, "'" + out.host + "' is not a valid host name or IP address");
    }
  }
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  const unsigned min_port = require_numeric_host ? 0 : 1;
  if (port_text.empty() || ec != std::errc() || ptr != port_text.data() + port_text.size() ||
      port < min_port || port > 65535) {
    return fail(error, "port must be " + std::to_string(min_port) + "..65535");
  }
  out.port = static_cast<uint16_t>(port);
  return out;
}

}  // namespace sluice::config
