#include "engine/config/yaml_scalar.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <string>

namespace sluice::config::detail {
namespace {

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// [-+]?[0-9]+
bool isDecimalInteger(std::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    text.remove_prefix(1);
  }
  return !text.empty() && std::all_of(text.begin(), text.end(), isDigit);
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, with a '.' or an exponent (else an integer).
bool isDecimalFloat(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    ++i;
  }
  size_t digits = 0;
  while (i < text.size() && isDigit(text[i])) {
    ++i;
    ++digits;
  }
  bool fraction = false;
  if (i < text.size() && text[i] == '.') {
    fraction = true;
    ++i;
    while (i < text.size() && isDigit(text[i])) {
      ++i;
      ++digits;
    }
  }
  if (digits == 0) {
    return false;
  }
  bool exponent = false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    exponent = true;
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
      ++i;
    }
    size_t exp_digits = 0;
    while (i < text.size() && isDigit(text[i])) {
      ++i;
      ++exp_digits;
    }
    if (exp_digits == 0) {
      return false;
    }
  }
  return i == text.size() && (fraction || exponent);
}

bool fitsInt64(std::string_view text) {
  if (!text.empty() && text[0] == '+') {
    text.remove_prefix(1);
  }
  if (!text.empty() && text[0] != '-') {
    uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && ptr == text.data() + text.size();
  }
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size();
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return out;
}

// 0x1F, 0o17, 0b101 (YAML 1.1 and 1.2 integers in other bases).
bool isPrefixedInteger(std::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    text.remove_prefix(1);
  }
  if (text.size() < 3 || text[0] != '0') {
    return false;
  }
  const char base = static_cast<char>(std::tolower(static_cast<unsigned char>(text[1])));
  if (base != 'x' && base != 'o' && base != 'b') {
    return false;
  }
  return std::all_of(text.begin() + 2, text.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

ScalarKind plainScalarKind(std::string_view text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return ScalarKind::Null;
  }
  if (text == "true" || text == "false") {
    return ScalarKind::Bool;
  }
  if (isDecimalInteger(text)) {
    return fitsInt64(text) ? ScalarKind::Int : ScalarKind::String;
  }
  if (isDecimalFloat(text)) {
    return ScalarKind::Float;
  }
  return ScalarKind::String;
}

bool needsQuotes(std::string_view text) {
  if (plainScalarKind(text) != ScalarKind::String || isDecimalInteger(text) || isPrefixedInteger(text)) {
    return true;
  }
  static constexpr std::array<std::string_view, 14> kOtherTypes{
      "true", "false", "yes", "no", "on", "off", "y", "n", "null", ".inf", "-.inf", "+.inf", ".nan", "~"};
  const std::string folded = lower(text);
  return std::find(kOtherTypes.begin(), kOtherTypes.end(), folded) != kOtherTypes.end();
}

}  // namespace sluice::config::detail
