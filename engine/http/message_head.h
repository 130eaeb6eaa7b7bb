#pragma once
// Parsed request and response heads. All views point into the parser's head buffer and stay valid
// until the parser starts on the next message.

#include <cstdint>
#include <string_view>

#include "engine/http/header_field.h"

namespace sluice::http {

struct RequestHead {
  std::string_view method;
  int method_id = 0;            // llhttp_method_t
  std::string_view target;      // as sent (origin-form, or absolute-form)
  std::string_view path;        // without the query
  std::string_view query;       // after '?', without it
  std::string_view host;        // Host header, or the authority of an absolute-form target
  int version_major = 1;
  int version_minor = 1;
  HeaderList headers;
  bool has_content_length = false;
  uint64_t content_length = 0;
  bool chunked = false;
  bool keep_alive = true;
  bool expect_continue = false;

  bool hasBody() const { return chunked || (has_content_length && content_length > 0); }
  bool isHead() const { return method == "HEAD"; }
  bool isIdempotent() const {
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
           method == "OPTIONS" || method == "TRACE";
  }
};

struct ResponseHead {
  int status = 0;
  std::string_view reason;
  int version_major = 1;
  int version_minor = 1;
  HeaderList headers;
  bool has_content_length = false;
  uint64_t content_length = 0;
  bool chunked = false;
  bool keep_alive = true;
};

}  // namespace sluice::http
