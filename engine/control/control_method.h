#pragma once
// The control socket's method table: a method name ("rate_limits.set") maps to a handler that gets
// the peer, the request's params and a Responder. Handlers run on the control thread; a handler may
// answer at once or later (after thread-pool work), but answers exactly once. Answering for a client
// that has gone is a no-op. See docs/control-protocol.md for every method and error code.

#include <sys/types.h>

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sluice::control {

// Who is on the other end, from SO_PEERCRED at accept time.
struct Peer {
  uid_t uid = 0;
  gid_t gid = 0;
  pid_t pid = 0;
};

// One error reply: `code` is one of bad_request, not_found, conflict, invalid, forbidden, internal.
struct ControlError {
  std::string code;
  std::string message;
  std::string field;             // config errors: "rate_limits[0].window"; "" otherwise
  nlohmann::json errors = nullptr;  // invalid: [{"field", "line", "message"}, ...]; null otherwise
};

class Responder {
 public:
  virtual ~Responder() = default;
  virtual void ok(nlohmann::json result) = 0;
  virtual void fail(ControlError error) = 0;
  // `result` is one JSON value already serialized (no newline): big results assembled from cached
  // text (stats.history: up to 900 snapshots) go out without a parse and dump. The session's
  // responder writes it as is; this fallback parses it.
  virtual void okRaw(std::string result) {
    nlohmann::json parsed = nlohmann::json::parse(result, nullptr, false);
    if (parsed.is_discarded()) {
      fail(ControlError{"internal", "the node built a reply that is not JSON"});
      return;
    }
    ok(std::move(parsed));
  }
};
using ResponderPtr = std::shared_ptr<Responder>;

using MethodHandler = std::function<void(const Peer& peer, const nlohmann::json& params, ResponderPtr reply)>;

class MethodTable {
 public:
  void add(std::string name, MethodHandler handler) { methods_[std::move(name)] = std::move(handler); }
  const MethodHandler* find(std::string_view name) const {
    auto it = methods_.find(std::string(name));
    return it == methods_.end() ? nullptr : &it->second;
  }

 private:
  std::unordered_map<std::string, MethodHandler> methods_;
};

}  // namespace sluice::control
