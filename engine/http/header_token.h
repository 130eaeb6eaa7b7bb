#pragma once
// RFC 9110 "token" (5.6.2): what a header name or a method may be made of. Header-only.

#include <algorithm>
#include <cctype>
#include <string_view>

namespace sluice::http {

inline bool isToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

}  // namespace sluice::http
