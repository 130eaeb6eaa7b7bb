#pragma once
// An entry's record, the value in the entries database:
//
//   u64 reclaim_at_ms | u32 full_key_size | u32 tags_size | full key | tags | value
//
// A fixed 16-byte header (host byte order: LMDB files do not move between architectures anyway),
// then the whole key (long keys only; a direct key is its stored key), then the tags as
// (u32 size, bytes)*, then the user's value, so the value is a view into the map with no copy.
// The last access time is not here but in its own small database (store_schema.h): a hit would
// otherwise rewrite the whole record, value and all.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::storage {

inline constexpr size_t kRecordHeaderSize = 16;

struct RecordView {
  uint64_t reclaim_at_ms = 0;
  std::string_view full_key;  // empty for direct keys
  std::string_view tags;      // the encoded block (forEachTag)
  std::string_view value;
};

inline std::optional<RecordView> parseRecord(std::string_view record) {
  if (record.size() < kRecordHeaderSize) {
    return std::nullopt;
  }
  RecordView view;
  uint32_t key_size = 0;
  uint32_t tags_size = 0;
  std::memcpy(&view.reclaim_at_ms, record.data(), 8);
  std::memcpy(&key_size, record.data() + 8, 4);
  std::memcpy(&tags_size, record.data() + 12, 4);
  const size_t rest = record.size() - kRecordHeaderSize;
  if (key_size > rest || tags_size > rest - key_size) {
    return std::nullopt;
  }
  view.full_key = record.substr(kRecordHeaderSize, key_size);
  view.tags = record.substr(kRecordHeaderSize + key_size, tags_size);
  view.value = record.substr(kRecordHeaderSize + key_size + tags_size);
  return view;
}

// Calls visit(tag) for each tag in an encoded block; false if the block is malformed.
template <typename Visit>
bool forEachTag(std::string_view block, Visit&& visit) {
  while (!block.empty()) {
    uint32_t size = 0;
    if (block.size() < 4) {
      return false;
    }
    std::memcpy(&size, block.data(), 4);
    if (size > block.size() - 4) {
      return false;
    }
    visit(block.substr(4, size));
    block.remove_prefix(4 + size);
  }
  return true;
}

bool hasTag(std::string_view block, std::string_view tag);
size_t tagsBlockSize(const std::vector<std::string>& tags);
inline size_t recordSize(size_t full_key, size_t tags_block, size_t value) {
  return kRecordHeaderSize + full_key + tags_block + value;
}
// Writes a record of recordSize(full_key.size(), tagsBlockSize(tags), value.size()) bytes at `out`.
void writeRecord(char* out, uint64_t reclaim_at_ms, std::string_view full_key,
                 const std::vector<std::string>& tags, std::string_view value);

}  // namespace sluice::storage
