#include "engine/filters/cache/entity_tag.h"

#include "engine/http/header_field.h"

namespace sluice::filters::cache {

namespace {

struct Tag {
  bool weak = false;
  std::string_view opaque;  // with its quotes
  bool valid = false;
};

Tag parseTag(std::string_view s) {
  Tag t;
  s = http::trimOws(s);
  if (s.size() >= 2 && s[0] == 'W' && s[1] == '/') {
    t.weak = true;
    s.remove_prefix(2);
  }
  t.valid = s.size() >= 2 && s.front() == '"' && s.back() == '"' &&
            s.substr(1, s.size() - 2).find('"') == std::string_view::npos;
  t.opaque = s;
  return t;
}

}  // namespace

bool tagsMatch(std::string_view a, std::string_view b, TagCompare how) {
  const Tag ta = parseTag(a);
  const Tag tb = parseTag(b);
  if (!ta.valid || !tb.valid || ta.opaque != tb.opaque) {
    return false;
  }
  return how == TagCompare::Weak || (!ta.weak && !tb.weak);
}

bool tagListMatches(std::string_view list, std::string_view etag, TagCompare how) {
  size_t i = 0;
  while (i < list.size()) {
    const char c = list[i];
    if (c == ' ' || c == '\t' || c == ',') {
      ++i;
      continue;
    }
    if (c == '*') {
      const size_t comma = list.find(',', i);
      if (http::trimOws(list.substr(i, comma == std::string_view::npos ? comma : comma - i)) == "*") {
        return true;
      }
    }
    // A member runs to its closing quote (commas are allowed inside), else to the next comma.
    size_t end = list.find(',', i);
    const size_t open = list.find('"', i);
    if (open != std::string_view::npos && (end == std::string_view::npos || open < end)) {
      const size_t close = list.find('"', open + 1);
      end = close == std::string_view::npos ? list.size() : close + 1;
    } else if (end == std::string_view::npos) {
      end = list.size();
    }
    if (tagsMatch(list.substr(i, end - i), etag, how)) {
      return true;
    }
    i = end;
  }
  return false;
}

}  // namespace sluice::filters::cache
