#include "engine/http/target_parts.h"

#include "engine/http/header_field.h"

namespace sluice::http {

bool splitTarget(std::string_view target, TargetParts& out) {
  out = TargetParts{};
  std::string_view rest = target;
  if (target.empty()) {
    return false;
  }
  if (target == "*") {
    out.path = target;
    return true;
  }
  if (target.front() != '/') {
    size_t scheme_end = target.find("://");
    if (scheme_end == std::string_view::npos) {
      return false;
    }
    std::string_view scheme = target.substr(0, scheme_end);
    if (!equalsIgnoreCase(scheme, "http") && !equalsIgnoreCase(scheme, "https")) {
      return false;
    }
    rest = target.substr(scheme_end + 3);
    size_t slash = rest.find_first_of("/?");
    out.authority = rest.substr(0, slash);
    if (out.authority.empty()) {
      return false;
    }
    rest = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
    if (rest.front() == '?') {
      out.path = "/";
      out.query = rest.substr(1);
      return true;
    }
  }
  size_t q = rest.find('?');
  out.path = rest.substr(0, q);
  if (q != std::string_view::npos) {
    out.query = rest.substr(q + 1);
  }
  return true;
}

}  // namespace sluice::http
