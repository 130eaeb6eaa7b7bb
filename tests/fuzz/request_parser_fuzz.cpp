// libFuzzer driver for RequestParser (engine/http/request_parser.h).
//
// Input: one control byte, then the bytes a client sends. The control byte picks the limits, a body
// limit and a listener refusal; the bytes are fed twice, once whole and once in pseudo-random
// pieces (each in its own exactly-sized heap buffer, so ASan sees any read past a piece), resuming
// after each Paused as the connection does. Besides crashes and sanitizer reports, the driver aborts
// when the parser breaks its contract:
//   - Paused without a completed request, or consumed > length;
//   - the completed requests (head, body) or the fact of an error depend on where reads split.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "engine/http/request_parser.h"

namespace {

using sluice::http::ParserLimits;
using sluice::http::RequestHead;
using sluice::http::RequestListener;
using sluice::http::RequestParser;

[[noreturn]] void contractBroken(const char* what) {
  std::fprintf(stderr, "request_parser_fuzz: contract broken: %s\n", what);
  std::abort();
}

// Reads every byte of a view, so ASan reports a view into freed or foreign memory.
uint32_t touch(std::string_view v) {
  uint32_t sum = 0;
  for (char c : v) {
    sum = sum * 31 + static_cast<unsigned char>(c);
  }
  return sum;
}

class Listener : public RequestListener {
 public:
  Listener(RequestParser* parser, uint64_t body_limit, int refusal)
      : parser_(parser), body_limit_(body_limit), refusal_(refusal) {}

  int onRequestHead(RequestHead& head) override {
    if (head_ != nullptr && !complete_) {
      contractBroken("a second head before the first request completed");
    }
    head_ = &head;
    complete_ = false;
    current_.clear();
    current_ += head.method;
    current_ += ' ';
    current_ += head.target;
    current_ += '|';
    current_ += head.path;
    current_ += '|';
    current_ += head.query;
    current_ += '|';
    current_ += head.host;
    current_ += head.keep_alive ? "|ka" : "|close";
    current_ += head.chunked ? "|chunked" : "";
    current_ += head.expect_continue ? "|100" : "";
    current_ += "|cl=" + std::to_string(head.has_content_length ? head.content_length : ~0ull);
    for (const auto& h : head.headers) {
      current_ += '\n';
      current_ += h.name;
      current_ += ": ";
      current_ += h.value;
    }
    if (body_limit_ != 0) {
      parser_->setBodyLimit(body_limit_);
    }
    ++heads_;
    // Refuse every third request when asked, as a route's limits would.
    return (refusal_ != 0 && heads_ % 3 == 0) ? refusal_ : 0;
  }

  void onRequestBody(const char* data, size_t length) override {
    if (head_ == nullptr || complete_) {
      contractBroken("body outside a request");
    }
    sink_ += touch(head_->target) + touch(std::string_view(data, length));
    body_.append(data, length);
  }

  void onRequestComplete() override {
    if (head_ == nullptr || complete_) {
      contractBroken("completion outside a request");
    }
    // The head's views must still be valid (message_head.h).
    for (const auto& h : head_->headers) {
      sink_ += touch(h.name) + touch(h.value);
    }
    sink_ += touch(head_->target) + touch(head_->host);
    complete_ = true;
    ++completes_;
    transcript_ += current_ + "\n<body " + std::to_string(body_.size()) + ">" + body_ + "\n---\n";
    body_.clear();
  }

  int completes() const { return completes_; }
  const std::string& transcript() const { return transcript_; }

 private:
  RequestParser* parser_;
  uint64_t body_limit_;
  int refusal_;
  const RequestHead* head_ = nullptr;
  bool complete_ = false;
  int heads_ = 0;
  int completes_ = 0;
  std::string current_;
  std::string body_;
  std::string transcript_;
  uint32_t sink_ = 0;
};

struct Outcome {
  std::string transcript;
  bool error = false;
};

// xorshift32: split points, reproducible from the input.
uint32_t nextRandom(uint32_t& state) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

Outcome run(const ParserLimits& limits, uint64_t body_limit, int refusal, const uint8_t* data, size_t size,
            uint32_t split_seed) {
  // The parser needs its listener and the listener its parser: build the listener into storage first.
  struct Pair {
    explicit Pair(const ParserLimits& l, uint64_t body_limit, int refusal)
        : listener(&parser, body_limit, refusal), parser(l, &listener) {}
    Listener listener;
    RequestParser parser;
  } pair(limits, body_limit, refusal);

  Outcome out;
  std::string pending;  // bytes left over after a Paused, as ClientConnection keeps them
  size_t offset = 0;
  uint32_t state = split_seed | 1;
  while (offset < size || !pending.empty()) {
    size_t piece = size - offset;
    if (split_seed != 0 && piece > 0) {
      piece = 1 + nextRandom(state) % std::min<size_t>(piece, 64);
    }
    std::string input = pending;
    input.append(reinterpret_cast<const char*>(data) + offset, piece);
    offset += piece;
    pending.clear();
    std::unique_ptr<char[]> buffer(new char[input.size() == 0 ? 1 : input.size()]);
    std::memcpy(buffer.get(), input.data(), input.size());
    const char* at = buffer.get();
    size_t length = input.size();
    while (true) {
      const int before = pair.listener.completes();
      const RequestParser::Result r = pair.parser.feed(at, length);
      if (r.consumed > length) {
        contractBroken("consumed more than fed");
      }
      if (r.status == RequestParser::Status::Error) {
        if (r.http_status < 400 || r.http_status > 599 || r.reason == nullptr) {
          contractBroken("error without a 4xx/5xx status and a reason");
        }
        out.error = true;
        out.transcript = pair.listener.transcript();
        return out;
      }
      if (r.status == RequestParser::Status::NeedMore) {
        if (r.consumed != length) {
          contractBroken("NeedMore without consuming everything");
        }
        break;
      }
      if (pair.listener.completes() != before + 1) {
        contractBroken("Paused without exactly one completed request");
      }
      pair.parser.resume();
      at += r.consumed;
      length -= r.consumed;
      if (length == 0) {
        break;
      }
      if (split_seed != 0) {
        // Like the connection: the rest waits for the next read, now in a buffer of its own.
        pending.assign(at, length);
        break;
      }
    }
  }
  out.transcript = pair.listener.transcript();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > 64 * 1024) {
    return 0;
  }
  const uint8_t control = data[0];
  ++data;
  --size;

  ParserLimits limits;
  if (control & 0x01) {
    limits.max_header_size = 256;
    limits.max_uri_size = 64;
    limits.max_headers = 4;
  }
  const uint64_t body_limit = (control & 0x02) ? 16 : 0;
  const int refusal = (control & 0x04) ? 413 : 0;
  uint32_t seed = 2166136261u ^ control;
  for (size_t i = 0; i < size; ++i) {
    seed = (seed ^ data[i]) * 16777619u;
  }

  const Outcome whole = run(limits, body_limit, refusal, data, size, 0);
  const Outcome split = run(limits, body_limit, refusal, data, size, seed == 0 ? 1 : seed);
  // A smaller body limit or a refusal cut the stream at a point that does not depend on splits,
  // and so does any framing error: the completed requests and the error must be the same.
  if (whole.transcript != split.transcript) {
    contractBroken("completed requests depend on how the input was split into reads");
  }
  if (whole.error != split.error) {
    contractBroken("an error depends on how the input was split into reads");
  }
  return 0;
}
