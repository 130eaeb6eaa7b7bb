#include "engine/filters/cache/vary_record.h"

#include "engine/filters/cache/byte_io.h"

namespace sluice::filters::cache {

namespace {

constexpr std::string_view kMagic = "SLCV";
constexpr uint8_t kVersion = 1;

}  // namespace

std::string encodeVaryRecord(std::string_view names, uint64_t reclaim_at_ms) {
  std::string out;
  out.reserve(20 + names.size());
  out += kMagic;
  putLe(out, kVersion, 1);
  putLe(out, 0, 3);
  putLe(out, reclaim_at_ms, 8);
  putLe(out, names.size(), 4);
  out += names;
  return out;
}

std::optional<VaryRecordView> decodeVaryRecord(std::string_view bytes) {
  ByteReader r(bytes);
  if (r.take(4) != kMagic || r.le(1) != kVersion || r.le(3) != 0) {
    return std::nullopt;
  }
  VaryRecordView v;
  v.reclaim_at_ms = r.le(8);
  v.names = r.take(r.le(4));
  if (!r.ok() || r.left() != 0) {
    return std::nullopt;
  }
  return v;
}

bool isVaryRecord(std::string_view bytes) {
  return bytes.substr(0, kMagic.size()) == kMagic;
}

}  // namespace sluice::filters::cache
