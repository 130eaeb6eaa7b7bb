#pragma once
// The stored record of one response: StoredMeta, the header block (header_block.h) and the body, in
// one byte string that the store writes as a value. Decoding makes no copy: a RecordView points into
// the bytes (for LMDB, the map, valid until the read transaction ends). Pure codec.
//
// Layout, little-endian, no padding:
//   "SLCR" | u8 version=1 | u8 0 | u16 status | u32 flags
//   i64 request_time_s | i64 response_time_s | i64 corrected_initial_age_s | i64 freshness_lifetime_s
//   i64 stale_while_revalidate_s | i64 stale_if_error_s
//   u32 etag length | u32 last_modified length | u32 vary length | u32 header block length | u64 body length
//   etag | last_modified | vary | header block | body
// The body comes last so that a hit can send it straight from the record.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/filters/cache/stored_meta.h"

namespace sluice::filters::cache {

inline constexpr size_t kRecordFixedSize = 84;

struct RecordView {
  StoredMeta meta;  // its etag / last_modified / vary point into the record
  std::string_view header_block;
  std::string_view body;
};

// The exact size of the encoded record, for writing it in place (e.g. LMDB's MDB_RESERVE).
size_t recordSize(const StoredMeta& meta, size_t header_block_size, size_t body_size);

// Writes the record into `out`, which holds recordSize() bytes.
void writeRecord(char* out, const StoredMeta& meta, std::string_view header_block, std::string_view body);

std::string encodeRecord(const StoredMeta& meta, std::string_view header_block, std::string_view body);

// nullopt unless `bytes` is exactly one well-formed record of this version: magic, version, lengths
// that add up to the size, a status in 100..599, known flags, non-negative ages and windows. Reads
// nothing outside `bytes`, whatever they hold.
std::optional<RecordView> decodeRecord(std::string_view bytes);

}  // namespace sluice::filters::cache
