// libFuzzer driver for the cache's parsers of untrusted bytes (engine/filters/cache/): the stored
// record codec (decodeRecord: what is read back from the store, possibly corrupt), the vary record,
// and the Cache-Control parser (parseCacheControl: what origins and clients send).
//
// Input: the bytes are decoded as a record and as a vary record, and parsed as a Cache-Control value.
// Besides crashes and sanitizer reports, the driver aborts when:
//   - a decoded record's views fall outside the input, or do not add up to its size;
//   - re-encoding a decoded record does not give back the input bytes exactly;
//   - a parsed Cache-Control has a seconds value outside 0..2^31.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "engine/filters/cache/cache_control.h"
#include "engine/filters/cache/cached_response.h"
#include "engine/filters/cache/conditional.h"
#include "engine/filters/cache/header_block.h"
#include "engine/filters/cache/vary_record.h"

namespace {

using namespace sluice::filters::cache;

[[noreturn]] void contractBroken(const char* what) {
  std::fprintf(stderr, "cache_record_fuzz: contract broken: %s\n", what);
  std::abort();
}

bool within(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

void checkSeconds(const std::optional<int64_t>& v) {
  if (v && (*v < 0 || *v > kDeltaSecondsMax)) {
    contractBroken("a seconds directive outside 0..2^31");
  }
}

void fuzzRecord(std::string_view bytes) {
  const std::optional<RecordView> v = decodeRecord(bytes);
  if (!v) {
    return;
  }
  for (std::string_view part :
       {v->meta.etag, v->meta.last_modified, v->meta.vary, v->header_block, v->body}) {
    if (!within(part, bytes)) {
      contractBroken("a view outside the record");
    }
  }
  if (recordSize(v->meta, v->header_block.size(), v->body.size()) != bytes.size()) {
    contractBroken("the parts do not add up to the record");
  }
  if (encodeRecord(v->meta, v->header_block, v->body) != bytes) {
    contractBroken("re-encoding changes the record");
  }
  // What a hit does with a decoded record must be safe on any block: parse it, pick the 304 fields,
  // and run its validators through the conditional code.
  (void)parseHeaderBlock(v->header_block);
  (void)notModifiedHeaderBlock(v->header_block);
  sluice::http::RequestHead request;
  request.method = "GET";
  request.headers.push_back({"If-None-Match", v->meta.etag});
  request.headers.push_back({"If-Modified-Since", v->meta.last_modified});
  (void)evaluateConditionals(request, *v, v->meta.response_time_s);
}

void fuzzVaryRecord(std::string_view bytes) {
  const std::optional<VaryRecordView> v = decodeVaryRecord(bytes);
  if (v && (!within(v->names, bytes) || encodeVaryRecord(v->names, v->reclaim_at_ms) != bytes)) {
    contractBroken("vary record views or round trip");
  }
}

void fuzzCacheControl(std::string_view value) {
  const CacheControl cc = parseCacheControl(value);
  for (const std::optional<int64_t>* v : {&cc.max_age, &cc.s_maxage, &cc.stale_while_revalidate,
                                          &cc.stale_if_error, &cc.max_stale, &cc.min_fresh}) {
    checkSeconds(*v);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) {
    return 0;
  }
  // An exactly sized heap copy: ASan reports any read past its end.
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  fuzzRecord(bytes);
  fuzzVaryRecord(bytes);
  fuzzCacheControl(bytes);
  return 0;
}
