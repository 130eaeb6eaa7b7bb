#pragma once
// A blocking client of the control socket (docs/control-protocol.md) for `sluice ctl`: a plain Unix
// stream socket, poll() with a timeout on every wait, one request at a time. A command line may
// block; nothing here runs on an event loop. Owns the socket descriptor; one thread.
// A reply line is at most kMaxLine bytes: a longer one is a transport error (the connection is not
// trusted afterwards), so a runaway node cannot make the CLI grow without bound.

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace sluice::ctl {

// What came back for one request.
struct Reply {
  enum class Kind { Result, Error, Transport };
  Kind kind = Kind::Transport;
  nlohmann::json result;  // Result: the `result` member
  nlohmann::json error;   // Error: the `error` object ({"code", "message", "field"?, "errors"?})
  std::string transport;  // Transport: what went wrong ("timed out after 5 s waiting for a reply")

  bool ok() const { return kind == Kind::Result; }
};

class ControlClient {
 public:
  static constexpr size_t kMaxLine = 256u << 20;  // 256 MiB: stats.history with many routes fits

  explicit ControlClient(std::chrono::milliseconds timeout) : timeout_(timeout) {}
  ~ControlClient();
  ControlClient(const ControlClient&) = delete;
  ControlClient& operator=(const ControlClient&) = delete;

  // Connects to `path`; false with errno() / error() set when it cannot.
  bool connect(const std::string& path);
  int connectErrno() const { return connect_errno_; }
  const std::string& error() const { return error_; }

  // Sends one request and waits (up to the timeout) for the reply with its id; stream events that
  // arrive meanwhile are skipped. An `{"id": null, "error": ...}` line (the node refusing this peer,
  // or a line it could not parse) is this request's error.
  Reply call(const std::string& method, const nlohmann::json& params = nullptr);

  // After stats.subscribe: waits up to `wait` for the next `{"event": ...}` message. False on a
  // timeout (`timed_out` set), on EINTR (neither set: a signal, e.g. Ctrl-C) or when the connection
  // ended (error() says why).
  bool nextEvent(nlohmann::json& event, std::chrono::milliseconds wait, bool& timed_out);

 private:
  enum class LineStatus { Line, Timeout, Interrupted, Failed };
  LineStatus readLine(std::string& line, std::chrono::steady_clock::time_point deadline);
  bool sendAll(const std::string& data);

  std::chrono::milliseconds timeout_;
  int fd_ = -1;
  int connect_errno_ = 0;
  int64_t next_id_ = 1;
  std::string buffer_;  // bytes read past the last line handed out
  std::string error_;
};

}  // namespace sluice::ctl
