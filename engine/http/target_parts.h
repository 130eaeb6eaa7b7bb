#pragma once
// Splits a request-target into host (absolute-form only), path and query.

#include <string_view>

namespace sluice::http {

struct TargetParts {
  std::string_view authority;  // non-empty only for absolute-form ("http://host:port/path")
  std::string_view path;
  std::string_view query;
};

// False when the target is neither origin-form ("/...") nor absolute-form, or asterisk-form "*".
bool splitTarget(std::string_view target, TargetParts& out);

}  // namespace sluice::http
