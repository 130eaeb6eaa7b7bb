#include "storage/record.h"

namespace sluice::storage {
namespace {

char* append(char* out, const void* data, size_t size) {
  if (size != 0) {
    std::memcpy(out, data, size);
  }
  return out + size;
}

}  // namespace

bool hasTag(std::string_view block, std::string_view tag) {
  bool found = false;
  forEachTag(block, [&](std::string_view t) { found = found || t == tag; });
  return found;
}

size_t tagsBlockSize(const std::vector<std::string>& tags) {
  size_t size = 0;
  for (const auto& tag : tags) {
    size += 4 + tag.size();
  }
  return size;
}

void writeRecord(char* out, uint64_t reclaim_at_ms, std::string_view full_key,
                 const std::vector<std::string>& tags, std::string_view value) {
  const auto key_size = static_cast<uint32_t>(full_key.size());
  const auto tags_size = static_cast<uint32_t>(tagsBlockSize(tags));
  out = append(out, &reclaim_at_ms, 8);
  out = append(out, &key_size, 4);
  out = append(out, &tags_size, 4);
  out = append(out, full_key.data(), full_key.size());
  for (const auto& tag : tags) {
    const auto size = static_cast<uint32_t>(tag.size());
    out = append(out, &size, 4);
    out = append(out, tag.data(), tag.size());
  }
  append(out, value.data(), value.size());
}

}  // namespace sluice::storage
