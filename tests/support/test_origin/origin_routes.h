#pragma once
// What the test origin answers, decided from a parsed request (see README.md beside this file).
// Pure functions: no I/O, so the connection code stays about bytes and the behaviour stays here.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::test_origin {

struct OriginStats {
  uint64_t connections_accepted = 0;
  uint64_t requests = 0;
  uint64_t active_connections = 0;
};

// A node-wide outage asked for by /_fault/refuse or /_fault/flap: `cycles` times, refuse connections
// for `down_ms` then listen again for `up_ms`.
struct Outage {
  uint64_t down_ms = 0;
  uint64_t up_ms = 0;
  uint64_t cycles = 1;
};

// What the origin remembers between requests: the /cache/ counts (cache_routes.h) and the fault
// modes (fault_routes.h).
struct OriginState {
  std::map<std::string, uint64_t> counts;  // requests per /cache/ target
  bool failing = false;                    // /_fail/on: /cache/ answers 503
  uint64_t fail_next = 0;                  // /_fault/fail/N: the next N answers are 503
  bool unhealthy = false;                  // /_fault/unhealthy: /health answers 503
  std::optional<Outage> outage;            // set by a control path, taken by the server
};

struct Request {
  std::string method;
  std::string target;
  std::string path;
  std::string query;
  int http_major = 1;
  int http_minor = 1;
  std::vector<std::pair<std::string, std::string>> headers;  // in received order
  uint64_t body_bytes = 0;
  std::string body_sha256;  // hex, filled for /upload only

  bool isHead() const { return method == "HEAD"; }
  std::optional<std::string> header(std::string_view name) const;  // case-insensitive, first match
  std::optional<std::string> queryParam(std::string_view name) const;
  // Every value of a repeated parameter, percent-decoded ('+' is a space).
  std::vector<std::string> queryParams(std::string_view name) const;
};

enum class PlanKind {
  Fixed,      // status + body
  Generated,  // `size` pattern bytes, Content-Length or chunked
  Delay,      // a Fixed answer after `delay_ms`
  Close,      // close the connection without answering
  Hang,       // never answer
  Reset,      // reset the connection (RST) without answering
  ResetAfter, // send the head and `size` body bytes of a longer body, then reset
  StallBody,  // send a head announcing `size` bytes, then nothing
  Slow,       // `size` body bytes, `slice` bytes every `delay_ms`
};

struct ResponsePlan {
  PlanKind kind = PlanKind::Fixed;
  int status = 200;
  std::string content_type = "text/plain";
  std::string body;
  bool bodiless = false;  // 1xx/204/304: no body and no Content-Length
  uint64_t size = 0;      // Generated
  bool chunked = false;   // Generated
  uint64_t delay_ms = 0;  // Delay; Slow: interval
  uint64_t slice = 0;     // Slow: bytes per interval
  std::vector<std::pair<std::string, std::string>> headers;  // extra response headers
};

// True when the request body should be hashed while it streams in.
bool wantsBodyHash(std::string_view path);

ResponsePlan planResponse(const Request& request, const OriginStats& stats, OriginState& state,
                          const std::string& origin_id);

// "HTTP/1.1 200 OK\r\n...\r\n\r\n"; content_length unset and !chunked = no framing header.
std::string responseHead(int status, const std::string& origin_id, const std::string& content_type,
                         std::optional<uint64_t> content_length, bool chunked, bool close,
                         const std::vector<std::pair<std::string, std::string>>& headers = {});

// Body byte at absolute offset i of a generated body: 'a' + i % 26.
inline char patternByte(uint64_t i) {
  return static_cast<char>('a' + i % 26);
}

}  // namespace sluice::test_origin
