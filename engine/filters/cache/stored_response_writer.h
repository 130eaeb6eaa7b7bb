#pragma once
// Writes a response kept in the cache to a client: the stored status and header block, then Age and
// Cache-Status, then the body — straight from the bytes it is given (a view into the LMDB map on the
// hit path: the connection copies only what the socket does not take at once). Worker thread.

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/server/response_sink.h"

namespace sluice::filters::cache {

struct StoredResponse {
  int status = 200;
  std::string_view header_block;  // "Name: value\r\n" lines, without framing and Age
  std::string_view body;
  int64_t age_s = 0;
};

// `scratch` is the caller's reusable buffer for the head lines. Finishes the response.
void writeStoredResponse(server::ResponseSink& sink, std::string& scratch, const StoredResponse& response,
                         std::string_view cache_status);

// A 304 answer to a client's conditional request: `header_block` already holds only the fields a
// 304 carries. Finishes the response.
void writeNotModified(server::ResponseSink& sink, std::string& scratch, std::string_view header_block, int64_t age_s,
                      std::string_view cache_status);

}  // namespace sluice::filters::cache
