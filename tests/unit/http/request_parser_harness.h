#pragma once
// Shared by the RequestParser tests: a listener that records what the parser reported (copies, since
// the views die with the next message) and a harness that feeds bytes and resumes after each request.

#include <QtTest>
#include <string>
#include <utility>
#include <vector>

#include "engine/http/request_parser.h"

namespace request_parser_test {

using sluice::http::ParserLimits;
using sluice::http::RequestHead;
using sluice::http::RequestListener;
using sluice::http::RequestParser;

using Status = RequestParser::Status;
using Headers = std::vector<std::pair<std::string, std::string>>;

// A copy of everything the parser reported for one request (views die with the next message).
struct Recorded {
  std::string method;
  std::string target;
  std::string path;
  std::string query;
  std::string host;
  int version_major = 0;
  int version_minor = 0;
  Headers headers;
  bool has_content_length = false;
  uint64_t content_length = 0;
  bool chunked = false;
  bool keep_alive = false;
  bool expect_continue = false;
  std::string body;
  int body_pieces = 0;
  bool complete = false;
  std::string target_at_complete;  // head->target read again in onRequestComplete
};

class RecordingListener : public RequestListener {
 public:
  int onRequestHead(RequestHead& head) override {
    Recorded r;
    r.method.assign(head.method);
    r.target.assign(head.target);
    r.path.assign(head.path);
    r.query.assign(head.query);
    r.host.assign(head.host);
    r.version_major = head.version_major;
    r.version_minor = head.version_minor;
    for (const auto& h : head.headers) {
      r.headers.emplace_back(std::string(h.name), std::string(h.value));
    }
    r.has_content_length = head.has_content_length;
    r.content_length = head.content_length;
    r.chunked = head.chunked;
    r.keep_alive = head.keep_alive;
    r.expect_continue = head.expect_continue;
    requests.push_back(std::move(r));
    head_ = &head;
    if (parser != nullptr && body_limit != 0) {
      parser->setBodyLimit(body_limit);
    }
    return head_answer;
  }
  void onRequestBody(const char* data, size_t length) override {
    requests.back().body.append(data, length);
    ++requests.back().body_pieces;
  }
  void onRequestComplete() override {
    requests.back().complete = true;
    // The head's views must still be valid here (message_head.h: until the next message starts).
    requests.back().target_at_complete.assign(head_->target);
  }

  std::vector<Recorded> requests;
  int head_answer = 0;
  uint64_t body_limit = 0;
  RequestParser* parser = nullptr;

 private:
  const RequestHead* head_ = nullptr;
};

// A parser and its listener; feedAll() plays the connection: on Paused it resumes and feeds the rest.
struct Harness {
  explicit Harness(ParserLimits limits = {}) : parser(limits, &listener) { listener.parser = &parser; }

  RequestParser::Result feed(const std::string& bytes) { return parser.feed(bytes.data(), bytes.size()); }

  RequestParser::Result feedAll(const std::string& bytes) {
    size_t offset = 0;
    while (true) {
      const RequestParser::Result r = parser.feed(bytes.data() + offset, bytes.size() - offset);
      if (r.status != Status::Paused) {
        return r;
      }
      offset += r.consumed;
      parser.resume();
      if (offset == bytes.size()) {
        return r;
      }
    }
  }

  RecordingListener listener;
  RequestParser parser;
};

}  // namespace request_parser_test
