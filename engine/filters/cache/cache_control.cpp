#include "engine/filters/cache/cache_control.h"

#include <iterator>

namespace sluice::filters::cache {

namespace {

using http::equalsIgnoreCase;
using http::trimOws;

struct Directive {
  std::string_view name;
  std::string_view value;  // raw: quoted-string content still escaped
  bool has_value = false;
  bool quoted = false;
  bool malformed = false;  // unterminated quoted-string
};

// delta-seconds = 1*DIGIT; a quoted-string form is accepted too (RFC 9111, 5.2), its escapes undone.
std::optional<int64_t> deltaSeconds(std::string_view text, bool quoted) {
  int64_t v = 0;
  size_t digits = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted && c == '\\' && i + 1 < text.size()) {
      c = text[++i];
    }
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    ++digits;
    v = v * 10 + (c - '0');
    if (v > kDeltaSecondsMax) {
      v = kDeltaSecondsMax;  // stays saturated: later digits only multiply past it
    }
  }
  if (digits == 0) {
    return std::nullopt;
  }
  return v;
}

std::optional<int64_t> directiveSeconds(const Directive& d) {
  if (!d.has_value || d.malformed) {
    return std::nullopt;
  }
  return deltaSeconds(d.value, d.quoted);
}

// Directives without an argument; a qualified no-cache / private records that it named fields.
struct FlagDirective {
  std::string_view name;
  bool CacheControl::*flag;
  bool CacheControl::*named_fields;  // nullptr: an argument is ignored
};

constexpr FlagDirective kFlagDirectives[] = {
    {"no-store", &CacheControl::no_store, nullptr},
    {"no-cache", &CacheControl::no_cache, &CacheControl::no_cache_fields},
    {"private", &CacheControl::is_private, &CacheControl::private_fields},
    {"public", &CacheControl::is_public, nullptr},
    {"must-revalidate", &CacheControl::must_revalidate, nullptr},
    {"proxy-revalidate", &CacheControl::proxy_revalidate, nullptr},
    {"must-understand", &CacheControl::must_understand, nullptr},
    {"no-transform", &CacheControl::no_transform, nullptr},
    {"only-if-cached", &CacheControl::only_if_cached, nullptr},
    {"immutable", &CacheControl::immutable, nullptr},
};

// Directives with delta-seconds. A freshness directive repeated or invalid makes the freshness
// invalid and keeps its first valid value; any other keeps its first occurrence, disabled if invalid.
struct SecondsDirective {
  std::string_view name;
  std::optional<int64_t> CacheControl::*field;
  bool freshness;
  bool valueless_means_any;  // max-stale
};

constexpr SecondsDirective kSecondsDirectives[] = {
    {"max-age", &CacheControl::max_age, true, false},
    {"s-maxage", &CacheControl::s_maxage, true, false},
    {"stale-while-revalidate", &CacheControl::stale_while_revalidate, false, false},
    {"stale-if-error", &CacheControl::stale_if_error, false, false},
    {"min-fresh", &CacheControl::min_fresh, false, false},
    {"max-stale", &CacheControl::max_stale, false, true},
};

class Parser {
 public:
  void feed(std::string_view list) {
    size_t i = 0;
    while (i < list.size()) {
      Directive d;
      i = next(list, i, d);
      if (!d.name.empty()) {
        apply(d);
      }
    }
  }

  CacheControl result() const { return cc_; }

 private:
  // Reads one directive starting at i; returns where the next one starts (after its comma).
  static size_t next(std::string_view s, size_t i, Directive& d) {
    const size_t name_end = s.find_first_of("=,", i);
    d.name = trimOws(s.substr(i, name_end == std::string_view::npos ? std::string_view::npos : name_end - i));
    if (name_end == std::string_view::npos) {
      return s.size();
    }
    if (s[name_end] == ',') {
      return name_end + 1;
    }
    d.has_value = true;
    size_t v = name_end + 1;
    while (v < s.size() && (s[v] == ' ' || s[v] == '\t')) {
      ++v;
    }
    if (v < s.size() && s[v] == '"') {
      d.quoted = true;
      size_t end = v + 1;
      while (end < s.size() && s[end] != '"') {
        end += (s[end] == '\\') ? 2 : 1;
      }
      if (end >= s.size()) {
        d.value = s.substr(v + 1);
        d.malformed = true;
        return s.size();
      }
      d.value = s.substr(v + 1, end - v - 1);
      // Anything between the closing quote and the next comma is junk; skip it.
      const size_t comma = s.find(',', end + 1);
      return comma == std::string_view::npos ? s.size() : comma + 1;
    }
    const size_t comma = s.find(',', v);
    d.value = trimOws(s.substr(v, comma == std::string_view::npos ? std::string_view::npos : comma - v));
    return comma == std::string_view::npos ? s.size() : comma + 1;
  }

  void apply(const Directive& d) {
    for (const FlagDirective& f : kFlagDirectives) {
      if (equalsIgnoreCase(d.name, f.name)) {
        cc_.*f.flag = true;
        if (f.named_fields != nullptr && d.has_value) {
          cc_.*f.named_fields = true;
        }
        return;
      }
    }
    for (size_t i = 0; i < std::size(kSecondsDirectives); ++i) {
      const SecondsDirective& sd = kSecondsDirectives[i];
      if (equalsIgnoreCase(d.name, sd.name)) {
        const bool first = (seen_ & (1u << i)) == 0;
        seen_ |= 1u << i;
        const std::optional<int64_t> v = (sd.valueless_means_any && !d.has_value)
                                             ? std::optional<int64_t>(kDeltaSecondsMax)
                                             : directiveSeconds(d);
        std::optional<int64_t>& field = cc_.*sd.field;
        if (sd.freshness) {
          cc_.invalid_freshness = cc_.invalid_freshness || !first || !v;
          field = field ? field : v;
        } else if (first) {
          field = v;
        }
        return;
      }
    }
  }

  CacheControl cc_;
  uint32_t seen_ = 0;  // bit i: kSecondsDirectives[i] was seen
};

CacheControl parseAll(const http::HeaderList& headers, bool* present) {
  Parser parser;
  for (const http::HeaderField& h : headers) {
    if (equalsIgnoreCase(h.name, "cache-control")) {
      *present = true;
      parser.feed(h.value);
    }
  }
  return parser.result();
}

}  // namespace

std::optional<int64_t> parseDeltaSeconds(std::string_view text) {
  return deltaSeconds(text, false);
}

CacheControl parseCacheControl(std::string_view value) {
  Parser parser;
  parser.feed(value);
  return parser.result();
}

CacheControl responseCacheControl(const http::HeaderList& headers) {
  bool present = false;
  return parseAll(headers, &present);
}

CacheControl requestCacheControl(const http::HeaderList& headers) {
  bool present = false;
  CacheControl cc = parseAll(headers, &present);
  if (!present) {
    for (const http::HeaderField& h : headers) {
      if (equalsIgnoreCase(h.name, "pragma") && http::listContainsToken(h.value, "no-cache")) {
        cc.no_cache = true;
      }
    }
  }
  return cc;
}

}  // namespace sluice::filters::cache
