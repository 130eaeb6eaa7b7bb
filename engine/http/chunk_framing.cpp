#include "engine/http/chunk_framing.h"

namespace sluice::http {

bool ChunkFraming::expect(const char* at, size_t available) {
  // Checks up to `owed_` bytes of "\r\n" starting at `at`.
  static constexpr char kCrlf[2] = {'\r', '\n'};
  while (owed_ > 0 && available > 0) {
    if (*at != kCrlf[2 - owed_]) {
      return false;
    }
    ++at;
    --available;
    --owed_;
  }
  return true;
}

bool ChunkFraming::beginBuffer(const char* data, size_t length) {
  end_ = data + length;
  return owed_ == 0 || expect(data, length);
}

bool ChunkFraming::onBody(const char* at, size_t length) {
  if (length > remaining_) {
    return true;  // not a chunk we track (llhttp guarantees spans within the chunk)
  }
  remaining_ -= length;
  if (remaining_ != 0) {
    return true;
  }
  owed_ = 2;
  const char* after = at + length;
  return expect(after, static_cast<size_t>(end_ - after));
}

}  // namespace sluice::http
