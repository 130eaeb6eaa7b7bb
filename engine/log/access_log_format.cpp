#include "engine/log/access_log_format.h"

#include <charconv>
#include <ctime>

namespace sluice::log {
namespace {

constexpr char kHex[] = "0123456789abcdef";

bool inRange(unsigned char c, unsigned char lo, unsigned char hi) {
  return c >= lo && c <= hi;
}

// Length of the well-formed UTF-8 sequence starting at p (RFC 3629, no overlongs or surrogates),
// or 0 when it is not one.
size_t utf8Length(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = *p;
  const size_t left = static_cast<size_t>(end - p);
  if (inRange(c, 0xc2, 0xdf)) {
    return left >= 2 && inRange(p[1], 0x80, 0xbf) ? 2 : 0;
  }
  if (inRange(c, 0xe0, 0xef)) {
    const unsigned char lo = c == 0xe0 ? 0xa0 : 0x80;
    const unsigned char hi = c == 0xed ? 0x9f : 0xbf;
    return left >= 3 && inRange(p[1], lo, hi) && inRange(p[2], 0x80, 0xbf) ? 3 : 0;
  }
  if (inRange(c, 0xf0, 0xf4)) {
    const unsigned char lo = c == 0xf0 ? 0x90 : 0x80;
    const unsigned char hi = c == 0xf4 ? 0x8f : 0xbf;
    return left >= 4 && inRange(p[1], lo, hi) && inRange(p[2], 0x80, 0xbf) && inRange(p[3], 0x80, 0xbf) ? 4
                                                                                                        : 0;
  }
  return 0;
}

bool plainAscii(unsigned char c) {
  return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void appendNumber(std::string& out, uint64_t value) {
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, result.ptr);
}

void appendField(std::string& out, std::string_view key_with_quotes, std::string_view value) {
  out += key_with_quotes;
  appendJsonString(out, value);
}

}  // namespace

void appendJsonString(std::string& out, std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  out += '"';
  while (p < end) {
    const auto* run = p;
    while (p < end && plainAscii(*p)) {
      ++p;
    }
    out.append(reinterpret_cast<const char*>(run), static_cast<size_t>(p - run));
    if (p == end) {
      break;
    }
    const unsigned char c = *p;
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
      ++p;
    } else if (c < 0x80) {  // control character or DEL
      const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
      out.append(esc, sizeof esc);
      ++p;
    } else if (const size_t len = utf8Length(p, end); len > 0) {
      out.append(reinterpret_cast<const char*>(p), len);
      p += len;
    } else {
      out += "\\ufffd";
      ++p;
    }
  }
  out += '"';
}

void AccessLogFormatter::format(const AccessRecord& r, std::string& out) {
  out += "{\"time\":\"";
  appendTime(r.time, out);
  out += '"';
  appendField(out, ",\"request_id\":", r.request_id);
  appendField(out, ",\"client\":", r.client);
  appendField(out, ",\"method\":", r.method);
  appendField(out, ",\"path\":", r.path);
  appendField(out, ",\"route\":", r.route);
  appendField(out, ",\"upstream\":", r.upstream);
  out += ",\"status\":";
  appendNumber(out, static_cast<uint64_t>(r.status > 0 ? r.status : 0));
  out += ",\"bytes_in\":";
  appendNumber(out, r.bytes_in);
  out += ",\"bytes_out\":";
  appendNumber(out, r.bytes_out);
  out += ",\"duration_ms\":";
  appendNumber(out, r.duration_us / 1000);
  const auto frac = static_cast<unsigned>(r.duration_us % 1000);
  const char decimals[4] = {'.', static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10),
                            static_cast<char>('0' + frac % 10)};
  out.append(decimals, sizeof decimals);
  out += "}\n";
}

void AccessLogFormatter::appendTime(std::chrono::system_clock::time_point time, std::string& out) {
  using namespace std::chrono;
  const int64_t ms = duration_cast<milliseconds>(time.time_since_epoch()).count();
  int64_t second = ms / 1000;
  int64_t milli = ms % 1000;
  if (milli < 0) {  // before 1970: floor, not truncate
    milli += 1000;
    second -= 1;
  }
  if (second != cached_second_) {
    const std::time_t t = static_cast<std::time_t>(second);
    std::tm tm{};
    gmtime_r(&t, &tm);
    cached_prefix_len_ = std::strftime(cached_prefix_, sizeof cached_prefix_, "%Y-%m-%dT%H:%M:%S", &tm);
    cached_second_ = second;
  }
  out.append(cached_prefix_, cached_prefix_len_);
  const char tail[5] = {'.', static_cast<char>('0' + milli / 100), static_cast<char>('0' + milli / 10 % 10),
                        static_cast<char>('0' + milli % 10), 'Z'};
  out.append(tail, sizeof tail);
}

}  // namespace sluice::log
