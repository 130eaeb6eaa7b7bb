#include "engine/filters/cache/cached_response.h"

#include <cassert>
#include <cstring>

#include "engine/filters/cache/byte_io.h"

namespace sluice::filters::cache {

namespace {

constexpr std::string_view kMagic = "SLCR";
constexpr uint8_t kVersion = 1;

std::string fixedPart(const StoredMeta& meta, size_t header_block_size, size_t body_size) {
  std::string out;
  out.reserve(kRecordFixedSize);
  out += kMagic;
  putLe(out, kVersion, 1);
  putLe(out, 0, 1);
  putLe(out, static_cast<uint16_t>(meta.status), 2);
  putLe(out, meta.flags, 4);
  for (int64_t v : {meta.request_time_s, meta.response_time_s, meta.corrected_initial_age_s,
                    meta.freshness_lifetime_s, meta.stale_while_revalidate_s, meta.stale_if_error_s}) {
    putLe(out, static_cast<uint64_t>(v), 8);
  }
  putLe(out, meta.etag.size(), 4);
  putLe(out, meta.last_modified.size(), 4);
  putLe(out, meta.vary.size(), 4);
  putLe(out, header_block_size, 4);
  putLe(out, body_size, 8);
  return out;
}

char* append(char* out, std::string_view part) {
  if (!part.empty()) {
    std::memcpy(out, part.data(), part.size());
  }
  return out + part.size();
}

}  // namespace

size_t recordSize(const StoredMeta& meta, size_t header_block_size, size_t body_size) {
  return kRecordFixedSize + meta.etag.size() + meta.last_modified.size() + meta.vary.size() +
         header_block_size + body_size;
}

void writeRecord(char* out, const StoredMeta& meta, std::string_view header_block, std::string_view body) {
  // The 32-bit lengths: fields and a head are bounded far below 4 GiB by the parser's limits.
  assert(meta.etag.size() <= UINT32_MAX && meta.last_modified.size() <= UINT32_MAX &&
         meta.vary.size() <= UINT32_MAX && header_block.size() <= UINT32_MAX);
  out = append(out, fixedPart(meta, header_block.size(), body.size()));
  out = append(out, meta.etag);
  out = append(out, meta.last_modified);
  out = append(out, meta.vary);
  out = append(out, header_block);
  append(out, body);
}

std::string encodeRecord(const StoredMeta& meta, std::string_view header_block, std::string_view body) {
  std::string out(recordSize(meta, header_block.size(), body.size()), '\0');
  writeRecord(out.data(), meta, header_block, body);
  return out;
}

std::optional<RecordView> decodeRecord(std::string_view bytes) {
  ByteReader r(bytes);
  if (r.take(4) != kMagic || r.le(1) != kVersion || r.le(1) != 0) {
    return std::nullopt;
  }
  RecordView v;
  StoredMeta& m = v.meta;
  m.status = static_cast<int>(r.le(2));
  m.flags = static_cast<uint32_t>(r.le(4));
  m.request_time_s = r.i64();
  m.response_time_s = r.i64();
  m.corrected_initial_age_s = r.i64();
  m.freshness_lifetime_s = r.i64();
  m.stale_while_revalidate_s = r.i64();
  m.stale_if_error_s = r.i64();
  const uint64_t etag_size = r.le(4);
  const uint64_t last_modified_size = r.le(4);
  const uint64_t vary_size = r.le(4);
  const uint64_t block_size = r.le(4);
  const uint64_t body_size = r.le(8);
  // The four 32-bit lengths cannot overflow; the body length is checked against what is left.
  if (!r.ok() || etag_size + last_modified_size + vary_size + block_size > r.left() ||
      body_size != r.left() - (etag_size + last_modified_size + vary_size + block_size)) {
    return std::nullopt;
  }
  m.etag = r.take(etag_size);
  m.last_modified = r.take(last_modified_size);
  m.vary = r.take(vary_size);
  v.header_block = r.take(block_size);
  v.body = r.take(body_size);
  const bool sane = r.ok() && r.left() == 0 && m.status >= 100 && m.status <= 599 &&
                    (m.flags & ~kKnownFlags) == 0 && m.corrected_initial_age_s >= 0 &&
                    m.freshness_lifetime_s >= 0 && m.stale_while_revalidate_s >= 0 && m.stale_if_error_s >= 0;
  if (!sane) {
    return std::nullopt;
  }
  return v;
}

}  // namespace sluice::filters::cache
