#pragma once
// The record stored at primary + '\0' when a resource's responses carry Vary: it names the Vary
// fields, so that a lookup can compute its variant key (cache_key.h) and find the right response.
// A lookup reads that slot and finds either a response record (no Vary) or this record, told apart by
// isVaryRecord(). A new response with different Vary names overwrites it; variants under the old names
// are then unreachable and age out by their own reclaimAt. Pure codec.
//
// Layout: "SLCV" | u8 version=1 | u8 0 | u16 0 | u64 reclaim_at_ms | u32 names length | names.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::filters::cache {

struct VaryRecordView {
  std::string_view names;      // canonical Vary names, as canonicalVary() writes them
  uint64_t reclaim_at_ms = 0;  // the latest reclaimAt of the variants written under these names
};

std::string encodeVaryRecord(std::string_view names, uint64_t reclaim_at_ms);

// nullopt unless `bytes` is exactly one well-formed vary record. Views point into `bytes`.
std::optional<VaryRecordView> decodeVaryRecord(std::string_view bytes);

bool isVaryRecord(std::string_view bytes);

}  // namespace sluice::filters::cache
