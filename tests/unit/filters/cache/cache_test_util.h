#pragma once
// Shared by the cache unit tests: heads built from compact test-table strings. Header lists are views,
// so the strings they point at live in a FieldStore for the length of a test.

#include <QString>
#include <deque>
#include <string>
#include <string_view>

#include "engine/http/message_head.h"

namespace cache_test {

class FieldStore {
 public:
  std::string_view keep(std::string s) {
    strings_.push_back(std::move(s));
    return strings_.back();
  }

  // "Name: value|Name: value": '|' separates fields (values in these tables never contain one).
  sluice::http::HeaderList fields(const QString& spec) {
    sluice::http::HeaderList out;
    for (const QString& line : spec.split('|', Qt::SkipEmptyParts)) {
      const qsizetype colon = line.indexOf(':');
      const std::string_view name = keep(line.left(colon).trimmed().toStdString());
      const std::string_view value = keep(line.mid(colon + 1).trimmed().toStdString());
      out.push_back({name, value});
    }
    return out;
  }

  sluice::http::RequestHead request(const QString& method, const QString& fields_spec,
                                    std::string_view host = "example.com", std::string_view path = "/a",
                                    std::string_view query = "") {
    sluice::http::RequestHead head;
    head.method = keep(method.toStdString());
    head.host = host;
    head.path = path;
    head.query = query;
    head.target = path;
    head.headers = fields(fields_spec);
    return head;
  }

  sluice::http::ResponseHead response(int status, const QString& fields_spec) {
    sluice::http::ResponseHead head;
    head.status = status;
    head.headers = fields(fields_spec);
    return head;
  }

 private:
  std::deque<std::string> strings_;  // a deque never moves its elements
};

// RFC 9211 sf-token: (ALPHA / "*") *(tchar / ":" / "/"), as Cache-Status detail= needs.
inline bool isSfToken(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(s[0]) && s[0] != '*') {
    return false;
  }
  for (char c : s) {
    const bool ok = alpha(c) || (c >= '0' && c <= '9') ||
                    std::string_view("!#$%&'*+-.^_`|~:/").find(c) != std::string_view::npos;
    if (!ok) {
      return false;
    }
  }
  return true;
}

inline QString q(std::string_view s) {
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

}  // namespace cache_test
