#include "engine/filters/cache/invalidation.h"

#include <algorithm>
#include <optional>

#include "engine/filters/cache/cache_key.h"

namespace sluice::filters::cache {

namespace {

using http::equalsIgnoreCase;

// RFC 3986, 5.2.4.
std::string removeDotSegments(std::string_view in) {
  std::string out;
  while (!in.empty()) {
    if (in.substr(0, 3) == "../") {
      in.remove_prefix(3);
    } else if (in.substr(0, 2) == "./") {
      in.remove_prefix(2);
    } else if (in.substr(0, 3) == "/./") {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.substr(0, 4) == "/../" || in == "/..") {
      in = in.size() == 3 ? std::string_view("/") : in.substr(3);
      const size_t slash = out.rfind('/');
      out.erase(slash == std::string::npos ? 0 : slash);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      const size_t next = in.find('/', 1);
      out += in.substr(0, next);
      in = next == std::string_view::npos ? std::string_view() : in.substr(next);
    }
  }
  return out;
}

// True when `ref` starts with a URI scheme ("http:", "mailto:"): ALPHA *(ALPHA / DIGIT / + - .) ":".
bool hasScheme(std::string_view ref) {
  const size_t colon = ref.find(':');
  if (colon == 0 || colon == std::string_view::npos || ref.find_first_of("/?#") < colon) {
    return false;
  }
  const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(ref[0])) {
    return false;
  }
  return std::all_of(ref.begin() + 1, ref.begin() + static_cast<std::ptrdiff_t>(colon), [&](char c) {
    return alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
  });
}

// The primary key `ref` names when resolved against the request's target; nullopt for another host or
// a scheme other than http(s).
std::optional<std::string> resolve(const http::RequestHead& request, std::string_view ref) {
  ref = http::trimOws(ref);
  ref = ref.substr(0, ref.find('#'));
  std::string absolute;
  if (ref.substr(0, 2) == "//") {
    absolute = "http:" + std::string(ref);
    ref = absolute;
  }
  const std::string host = normalizeHost(request.host);
  if (hasScheme(ref)) {
    std::optional<std::string> key = primaryKeyFromUrl(ref);
    const std::string prefix = "http://" + host;
    if (!key || key->compare(0, prefix.size(), prefix) != 0 ||
        (key->size() > prefix.size() && (*key)[prefix.size()] != '/' && (*key)[prefix.size()] != '?')) {
      return std::nullopt;
    }
    const size_t path_at = prefix.size();
    const size_t query_at = key->find('?', path_at);
    const std::string path = removeDotSegments(std::string_view(*key).substr(path_at, query_at - path_at));
    return prefix + (path.empty() ? "/" : path) +
           (query_at == std::string::npos ? "" : key->substr(query_at));
  }
  const size_t q = ref.find('?');
  std::string_view ref_path = ref.substr(0, q);
  std::string_view query = q == std::string_view::npos ? std::string_view() : ref.substr(q + 1);
  std::string path;
  if (ref_path.empty()) {
    path = std::string(request.path);
    if (q == std::string_view::npos) {
      query = request.query;  // "" or "#frag" names the target itself
    }
  } else if (ref_path.front() == '/') {
    path = removeDotSegments(ref_path);
  } else {
    const size_t slash = request.path.rfind('/');
    const std::string_view base =
        slash == std::string_view::npos ? std::string_view("/") : request.path.substr(0, slash + 1);
    path = removeDotSegments(std::string(base) + std::string(ref_path));
  }
  std::string key = "http://" + host + (path.empty() ? "/" : path);
  if (!query.empty()) {
    key += '?';
    key += query;
  }
  return key;
}

void addUnique(std::vector<std::string>& keys, std::optional<std::string> key) {
  if (key && std::find(keys.begin(), keys.end(), *key) == keys.end()) {
    keys.push_back(std::move(*key));
  }
}

}  // namespace

bool isSafeMethod(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE";
}

std::vector<std::string> invalidatedKeys(const http::RequestHead& request,
                                         const http::ResponseHead& response) {
  std::vector<std::string> keys;
  if (isSafeMethod(request.method) || response.status < 200 || response.status > 399) {
    return keys;
  }
  keys.push_back(primaryKey(request));
  for (const http::HeaderField& h : response.headers) {
    if (equalsIgnoreCase(h.name, "location") || equalsIgnoreCase(h.name, "content-location")) {
      addUnique(keys, resolve(request, h.value));
    }
  }
  return keys;
}

}  // namespace sluice::filters::cache
