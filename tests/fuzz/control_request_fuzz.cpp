// libFuzzer driver for the control socket's input side: LineBuffer (engine/control/line_buffer.h)
// and parseRequestLine (engine/control/control_request.h), plus the reply lines written back. The
// first byte picks the line limit (bit 0: 64 bytes, else 4 KiB) and the read sizes; the rest is the
// stream a client sends. It is split into lines once whole and once in pseudo-random reads, and the
// two must agree. Every line must parse or be refused without crashing or throwing; an accepted
// request has a number or string id and object params, a refused one an error message and an id
// that is null, a number or a string; every reply line built from it is one valid JSON line.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "engine/control/control_reply.h"
#include "engine/control/control_request.h"
#include "engine/control/line_buffer.h"

namespace {

using sluice::control::LineBuffer;

struct Split {
  std::vector<std::string> lines;
  bool too_long = false;
};

// Feeds `stream` in reads of the given sizes (cycled), taking lines after each read as the session
// does; stops at the first over-long line, as the session closes there.
Split split(std::string_view stream, size_t max_line, const std::vector<size_t>& reads) {
  Split out;
  LineBuffer buffer(max_line);
  size_t offset = 0;
  size_t turn = 0;
  while (offset < stream.size()) {
    const size_t n = std::min(reads[turn++ % reads.size()], stream.size() - offset);
    buffer.append(stream.data() + offset, n);
    offset += n;
    std::string_view line;
    LineBuffer::Next next;
    while ((next = buffer.next(line)) == LineBuffer::Next::Line) {
      if (line.size() > max_line) {
        std::abort();
      }
      out.lines.emplace_back(line);
    }
    if (next == LineBuffer::Next::TooLong) {
      out.too_long = true;
      return out;
    }
    if (buffer.buffered() > max_line) {
      std::abort();  // NeedMore must never hold more than a line's worth
    }
  }
  return out;
}

void checkLine(const std::string& text) {
  if (text.empty() || text.back() != '\n' || text.find('\n') != text.size() - 1) {
    std::abort();
  }
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    std::fprintf(stderr, "control_request_fuzz: reply line is not a JSON object: %s", text.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > 64 * 1024) {
    return 0;
  }
  const uint8_t control = data[0];
  const size_t max_line = (control & 1) != 0 ? 64 : 4096;
  const std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);

  const Split whole = split(stream, max_line, {stream.size() + 1});
  std::vector<size_t> reads;
  for (size_t i = 0; i < 8; ++i) {
    reads.push_back(1 + ((control >> 1) * 31 + i * 17) % 97);
  }
  const Split pieces = split(stream, max_line, reads);
  // A line that is too long may be noticed at a different point depending on the reads, but every
  // line before it must come out the same.
  const size_t common = std::min(whole.lines.size(), pieces.lines.size());
  for (size_t i = 0; i < common; ++i) {
    if (whole.lines[i] != pieces.lines[i]) {
      std::abort();
    }
  }
  if (whole.too_long != pieces.too_long || (!whole.too_long && whole.lines.size() != pieces.lines.size())) {
    std::abort();
  }

  for (const std::string& line : whole.lines) {
    const sluice::control::ControlRequest request = sluice::control::parseRequestLine(line);
    if (!request.id.is_null() && !request.id.is_number() && !request.id.is_string()) {
      std::abort();
    }
    if (request.ok) {
      if (request.id.is_null() || !request.params.is_object() || !request.error.empty()) {
        std::abort();
      }
      checkLine(sluice::control::resultLine(request.id, request.params));
    } else if (request.error.empty()) {
      std::abort();
    }
    checkLine(sluice::control::errorLine(request.id, {"bad_request", request.error, line, nullptr}));
    // The raw line echoed as a string: not necessarily UTF-8, must still make a valid line.
    checkLine(sluice::control::resultLine(request.id, {{"echo", line}}));
  }
  return 0;
}
