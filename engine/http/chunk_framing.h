#pragma once
// llhttp 8.1 does not check that chunk data is followed by CRLF ("5\r\nhelloXX0\r\n\r\n" parses),
// which lets a proxy and its upstream disagree on where a chunked body ends. This tracks the
// chunks and checks those two bytes against the raw input, even when they arrive in a later read.

#include <cstddef>
#include <cstdint>

namespace sluice::http {

class ChunkFraming {
 public:
  // A new message starts (within the current buffer: the buffer bounds stay).
  void reset() {
    remaining_ = 0;
    owed_ = 0;
  }
  // Before llhttp sees a buffer: checks CRLF bytes owed by the previous buffer. False on a mismatch.
  bool beginBuffer(const char* data, size_t length);
  void onChunkHeader(uint64_t size) { remaining_ = size; }
  // For each body span of a chunked message. False on a mismatch.
  bool onBody(const char* at, size_t length);

 private:
  bool expect(const char* at, size_t available);

  const char* end_ = nullptr;
  uint64_t remaining_ = 0;
  int owed_ = 0;  // CRLF bytes still to check at the start of the next buffer: 0, 1 or 2
};

}  // namespace sluice::http
