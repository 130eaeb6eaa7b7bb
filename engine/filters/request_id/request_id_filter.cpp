#include "engine/filters/request_id/request_id_filter.h"

#include <sys/random.h>

#include <chrono>

namespace sluice::filters {

std::unique_ptr<RequestFilter> RequestIdFilter::create(const FilterEnv&) {
  return std::make_unique<RequestIdFilter>();
}

bool RequestIdFilter::isValid(std::string_view id) {
  if (id.empty() || id.size() > 128) {
    return false;
  }
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == ':' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

RequestIdFilter::RequestIdFilter() {
  if (getrandom(state_, sizeof(state_), 0) != static_cast<ssize_t>(sizeof(state_))) {
    const auto t = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    state_[0] = t ^ 0x9e3779b97f4a7c15ull;
    state_[1] = reinterpret_cast<uintptr_t>(this) ^ 0xbf58476d1ce4e5b9ull;
  }
  if ((state_[0] | state_[1]) == 0) {
    state_[0] = 1;
  }
}

// xorshift128+: ids need to be unique, not secret.
uint64_t RequestIdFilter::next() {
  uint64_t s1 = state_[0];
  const uint64_t s0 = state_[1];
  state_[0] = s0;
  s1 ^= s1 << 23;
  state_[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
  return state_[1] + s0;
}

FilterStatus RequestIdFilter::onRequest(const http::RequestHead& head, server::RequestContext& context,
                                        server::ResponseSink&) {
  const http::HeaderField* given = http::findHeader(head.headers, "x-request-id");
  if (given != nullptr && isValid(given->value)) {
    context.request_id.assign(given->value);
    return FilterStatus::Continue;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  context.request_id.resize(32);
  uint64_t words[2] = {next(), next()};
  for (int i = 0; i < 32; ++i) {
    context.request_id[static_cast<size_t>(i)] = kHex[(words[i / 16] >> ((i % 16) * 4)) & 0xf];
  }
  return FilterStatus::Continue;
}

}  // namespace sluice::filters
