#pragma once
// One client of the control socket. Owns its uv_pipe_t; runs on the control thread (the Node's loop).
//
// Reads NDJSON request lines (LineBuffer, at most kMaxLine per line), parses each and calls its
// method; replies leave in request order even when a method answers later: every request takes a
// slot in an ordered reply queue, and answered slots are written from the front. At most
// kMaxOutstanding requests may wait for an answer; beyond that the session stops reading until
// answers drain (the client's own writes then block: it is the one not keeping up).
//
// Writes try uv_try_write first; what the socket does not take is queued as uv_write requests that
// share the buffer (a stats event is one buffer for every subscriber). More than kMaxQueued unsent
// bytes means the client is not reading: it is logged and dropped. A message is always accepted
// into an empty queue, so one reply larger than the limit still goes out to a client that reads.
//
// close() is the only way out: it stops reading, cancels queued writes, and the owner frees the
// session from the uv_close callback (SessionOwner::sessionClosed). Answers that arrive after that
// are dropped (responders hold a weak reference).

#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "engine/control/control_method.h"
#include "engine/control/control_request.h"
#include "engine/control/line_buffer.h"

namespace sluice::control {

class ControlSession;

class SessionOwner {
 public:
  virtual ~SessionOwner() = default;
  virtual const MethodTable& methods() const = 0;
  // From the session's uv_close callback: the owner drops its reference, which frees the session.
  virtual void sessionClosed(ControlSession* session) = 0;
};

class ControlSession : public std::enable_shared_from_this<ControlSession> {
 public:
  static constexpr size_t kMaxLine = 1 << 20;
  static constexpr size_t kMaxOutstanding = 64;
  static constexpr size_t kMaxQueued = 16 << 20;

  ControlSession(uv_loop_t* loop, SessionOwner& owner);
  ~ControlSession();
  ControlSession(const ControlSession&) = delete;
  ControlSession& operator=(const ControlSession&) = delete;

  // Accepts the pending connection of `server`; a libuv error code, or 0.
  int accept(uv_stream_t* server);
  // The accepted socket's descriptor (for SO_PEERCRED), -1 if none.
  int fd() const;

  // Serves requests from `peer`.
  void start(const Peer& peer);
  // Writes one line (a `forbidden` error) and closes, without reading anything.
  void refuse(const std::string& line);
  // Stream messages (stats events): the buffer is shared, not copied.
  void sendEvent(const std::shared_ptr<const std::string>& line);

  bool subscribed() const { return subscribed_ && !closing_; }
  bool closing() const { return closing_; }
  const Peer& peer() const { return peer_; }
  void close();

  // SessionResponder: the answer for request `seq` (a whole line with its '\n').
  void answer(uint64_t seq, std::string line);

 private:
  struct Slot {
    bool done = false;
    std::string line;
  };
  struct WriteRequest;

  uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(&pipe_); }
  void startReading();
  void stopReading();
  void onData(const char* data, size_t length);
  void processLines();
  void handleLine(std::string_view line);
  void dispatch(ControlRequest request, uint64_t seq);
  uint64_t openSlot();
  void flushReplies();
  void write(std::shared_ptr<const std::string> bytes);
  void finishWhenFlushed();
  void maybeFinish();
  static void onAlloc(uv_handle_t* handle, size_t suggested, uv_buf_t* buf);
  static void onRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
  static void onWrite(uv_write_t* req, int status);

  SessionOwner& owner_;
  uv_pipe_t pipe_{};
  Peer peer_;
  LineBuffer lines_{kMaxLine};
  std::deque<Slot> pending_;  // replies in request order; front() is request first_seq_
  uint64_t first_seq_ = 0;
  uint64_t next_seq_ = 0;
  size_t queued_bytes_ = 0;   // handed to uv_write, not yet completed
  bool reading_ = false;
  bool processing_ = false;   // inside processLines(): answers must not re-enter it
  bool finish_when_flushed_ = false;
  bool subscribed_ = false;
  bool closing_ = false;
};

using ControlSessionPtr = std::shared_ptr<ControlSession>;

}  // namespace sluice::control
