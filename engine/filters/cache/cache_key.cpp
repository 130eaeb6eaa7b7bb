#include "engine/filters/cache/cache_key.h"

#include <algorithm>
#include <vector>

#include "engine/http/target_parts.h"

namespace sluice::filters::cache {

namespace {

using http::equalsIgnoreCase;
using http::HeaderField;
using http::trimOws;

bool isTchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), isTchar);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = http::asciiLower(c);
  }
  return out;
}

// Appends the members of a comma list of field names, lower-cased; non-tokens are skipped and `star`
// is set when a member is "*".
void appendNames(std::string_view list, std::vector<std::string>* names, bool* star) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view item = trimOws(list.substr(0, comma));
    if (item == "*") {
      *star = true;
    } else if (isToken(item)) {
      names->push_back(lower(item));
    }
    if (comma == std::string_view::npos) {
      break;
    }
    list.remove_prefix(comma + 1);
  }
}

void sortUnique(std::vector<std::string>& names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
}

std::string buildKey(std::string_view host, std::string_view path, std::string_view query) {
  std::string key;
  key.reserve(7 + host.size() + path.size() + 1 + query.size());
  key += "http://";
  key += normalizeHost(host);
  key += path;
  if (!query.empty()) {
    key += '?';
    key += query;
  }
  return key;
}

}  // namespace

std::string normalizeHost(std::string_view host) {
  for (std::string_view port : {":80", ":443", ":"}) {
    if (host.size() > port.size() && host.substr(host.size() - port.size()) == port) {
      host.remove_suffix(port.size());
      break;
    }
  }
  return lower(host);
}

std::string primaryKey(const http::RequestHead& request) {
  return buildKey(request.host, request.path, request.query);
}

std::optional<std::string> primaryKeyFromUrl(std::string_view url) {
  http::TargetParts parts;
  if (!http::splitTarget(url, parts) || parts.authority.empty()) {
    return std::nullopt;
  }
  // userinfo@ is not part of the resource's identity.
  std::string_view host = parts.authority;
  const size_t at = host.rfind('@');
  if (at != std::string_view::npos) {
    host.remove_prefix(at + 1);
  }
  if (host.empty()) {
    return std::nullopt;
  }
  // A fragment never reaches a server.
  std::string_view path = parts.path;
  std::string_view query = parts.query;
  const size_t hash_in_query = query.find('#');
  if (hash_in_query != std::string_view::npos) {
    query = query.substr(0, hash_in_query);
  }
  const size_t hash_in_path = path.find('#');
  if (hash_in_path != std::string_view::npos) {
    path = path.substr(0, hash_in_path);
    query = {};
  }
  return buildKey(host, path.empty() ? std::string_view("/") : path, query);
}

std::string canonicalVary(const http::HeaderList& response_headers) {
  std::vector<std::string> names;
  bool star = false;
  for (const HeaderField& h : response_headers) {
    if (equalsIgnoreCase(h.name, "vary")) {
      appendNames(h.value, &names, &star);
    }
  }
  if (star) {
    return "*";
  }
  sortUnique(names);
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) {
      out += ',';
    }
    out += n;
  }
  return out;
}

std::string variantKey(std::string_view primary, const http::RequestHead& request,
                       std::string_view vary_names) {
  bool star = false;
  std::vector<std::string> names;
  appendNames(vary_names, &names, &star);
  sortUnique(names);
  std::string key;
  key.reserve(primary.size() + 1 + vary_names.size() * 2);
  key += primary;
  key += kVariantSeparator;
  std::string value;
  for (const std::string& name : names) {
    bool present = false;
    value.clear();
    for (const HeaderField& h : request.headers) {
      if (equalsIgnoreCase(h.name, name)) {
        if (present) {
          value += ", ";
        }
        value += trimOws(h.value);
        present = true;
      }
    }
    key += name;
    if (!present) {
      key += ';';
      continue;
    }
    key += '=';
    key += std::to_string(value.size());
    key += ':';
    key += value;
  }
  return key;
}

}  // namespace sluice::filters::cache
