#include "engine/control/control_session.h"

#include <cassert>
#include <exception>

#include "engine/control/control_reply.h"
#include "engine/control/session_responder.h"
#include "engine/log/logger.h"

namespace sluice::control {

// A queued write keeps its buffer alive; `offset` skips what uv_try_write already sent.
struct ControlSession::WriteRequest {
  uv_write_t req{};
  ControlSession* session = nullptr;
  std::shared_ptr<const std::string> bytes;
  size_t length = 0;
};

ControlSession::ControlSession(uv_loop_t* loop, SessionOwner& owner) : owner_(owner) {
  uv_pipe_init(loop, &pipe_, 0);
  pipe_.data = this;
}

ControlSession::~ControlSession() {
  // Freed by the owner from the uv_close callback only.
  assert(closing_ && "a session is closed before it is freed");
}

int ControlSession::accept(uv_stream_t* server) {
  return uv_accept(server, stream());
}

int ControlSession::fd() const {
  uv_os_fd_t fd = -1;
  return uv_fileno(reinterpret_cast<const uv_handle_t*>(&pipe_), &fd) == 0 ? fd : -1;
}

void ControlSession::start(const Peer& peer) {
  peer_ = peer;
  startReading();
}

void ControlSession::refuse(const std::string& line) {
  // A fresh socket takes a short line at once; if not, the client learns nothing but is closed all
  // the same.
  uv_buf_t buf = uv_buf_init(const_cast<char*>(line.data()), static_cast<unsigned>(line.size()));
  uv_try_write(stream(), &buf, 1);
  close();
}

void ControlSession::sendEvent(const std::shared_ptr<const std::string>& line) {
  write(line);
}

void ControlSession::close() {
  if (closing_) {
    return;
  }
  closing_ = true;
  stopReading();
  uv_close(reinterpret_cast<uv_handle_t*>(&pipe_), [](uv_handle_t* handle) {
    auto* self = static_cast<ControlSession*>(handle->data);
    self->owner_.sessionClosed(self);  // frees `self`
  });
}

// ---- reading ----

void ControlSession::startReading() {
  if (reading_ || closing_ || finish_when_flushed_) {
    return;
  }
  if (uv_read_start(stream(), &ControlSession::onAlloc, &ControlSession::onRead) == 0) {
    reading_ = true;
  } else {
    close();
  }
}

void ControlSession::stopReading() {
  if (reading_) {
    uv_read_stop(stream());
    reading_ = false;
  }
}

void ControlSession::onAlloc(uv_handle_t*, size_t, uv_buf_t* buf) {
  // Shared by the sessions of this thread: onRead copies the bytes into the session's LineBuffer.
  thread_local char buffer[64 * 1024];
  *buf = uv_buf_init(buffer, sizeof buffer);
}

void ControlSession::onRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  auto* self = static_cast<ControlSession*>(stream->data);
  if (self->closing_) {
    return;
  }
  if (nread < 0) {
    // EOF or an error: whatever is still to be answered has nobody to read it.
    self->close();
    return;
  }
  if (nread > 0) {
    self->onData(buf->base, static_cast<size_t>(nread));
  }
}

void ControlSession::onData(const char* data, size_t length) {
  lines_.append(data, length);
  processLines();
}

void ControlSession::processLines() {
  if (processing_) {
    return;  // an answer given while a line is handled: the loop below carries on by itself
  }
  processing_ = true;
  while (!closing_ && !finish_when_flushed_) {
    if (pending_.size() >= kMaxOutstanding) {
      // Carry on when answers drain (flushReplies); the rest of this read stays in lines_.
      stopReading();
      break;
    }
    std::string_view line;
    const LineBuffer::Next next = lines_.next(line);
    if (next == LineBuffer::Next::NeedMore) {
      startReading();
      break;
    }
    if (next == LineBuffer::Next::TooLong) {
      // Nothing after it can be trusted to start a line: answer, then close once that is out.
      const uint64_t seq = openSlot();
      answer(seq, errorLine(nullptr, ControlError{"bad_request", "request line over 1 MiB (the limit)"}));
      finishWhenFlushed();
      break;
    }
    handleLine(line);
  }
  processing_ = false;
}

void ControlSession::handleLine(std::string_view line) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
    return;  // blank lines (a stray "\r\n" from a terminal) are not requests
  }
  ControlRequest request = parseRequestLine(line);
  const uint64_t seq = openSlot();
  if (!request.ok) {
    answer(seq, errorLine(request.id, ControlError{"bad_request", std::move(request.error)}));
    return;
  }
  dispatch(std::move(request), seq);
}

void ControlSession::dispatch(ControlRequest request, uint64_t seq) {
  // Subscriptions belong to the connection, not to the node: the session answers them itself.
  if (request.method == "stats.subscribe" || request.method == "stats.unsubscribe") {
    subscribed_ = request.method == "stats.subscribe";
    answer(seq, resultLine(request.id, {{"subscribed", subscribed_}}));
    return;
  }
  const MethodHandler* handler = owner_.methods().find(request.method);
  if (handler == nullptr) {
    answer(seq, errorLine(request.id, ControlError{"not_found", "unknown method '" + request.method + "'"}));
    return;
  }
  auto responder = std::make_shared<SessionResponder>(weak_from_this(), seq, request.id);
  try {
    (*handler)(peer_, request.params, responder);
  } catch (const std::exception& e) {
    // Methods are written not to throw; this keeps a bug in one from taking the node down.
    log::error("control: method {} threw: {}", request.method, e.what());
    responder->fail(ControlError{"internal", std::string("the method failed: ") + e.what()});
  }
}

// ---- replies ----

uint64_t ControlSession::openSlot() {
  pending_.emplace_back();
  return next_seq_++;
}

void ControlSession::answer(uint64_t seq, std::string line) {
  if (closing_) {
    return;
  }
  assert(seq >= first_seq_ && seq - first_seq_ < pending_.size());
  Slot& slot = pending_[seq - first_seq_];
  slot.done = true;
  slot.line = std::move(line);
  flushReplies();
}

void ControlSession::flushReplies() {
  while (!closing_ && !pending_.empty() && pending_.front().done) {
    auto bytes = std::make_shared<const std::string>(std::move(pending_.front().line));
    pending_.pop_front();
    ++first_seq_;
    write(std::move(bytes));
  }
  if (closing_) {
    return;
  }
  if (finish_when_flushed_) {
    maybeFinish();
  } else if (!reading_ && pending_.size() < kMaxOutstanding) {
    processLines();  // may have stopped at the outstanding limit
  }
}

// ---- writing ----

void ControlSession::write(std::shared_ptr<const std::string> bytes) {
  if (closing_ || bytes->empty()) {
    return;
  }
  size_t sent = 0;
  if (queued_bytes_ == 0) {
    uv_buf_t buf = uv_buf_init(const_cast<char*>(bytes->data()), static_cast<unsigned>(bytes->size()));
    const int rc = uv_try_write(stream(), &buf, 1);
    if (rc >= 0) {
      sent = static_cast<size_t>(rc);
    } else if (rc != UV_EAGAIN) {
      close();  // the client is gone; its EOF or error will not be read any more
      return;
    }
    if (sent == bytes->size()) {
      return;
    }
  } else if (queued_bytes_ + bytes->size() > kMaxQueued) {
    log::warn("control: dropping client uid={} pid={}: send queue over 16 MiB (the client is not reading)",
              peer_.uid, peer_.pid);
    close();
    return;
  }
  auto* request = new WriteRequest;
  request->session = this;
  request->length = bytes->size() - sent;
  request->bytes = std::move(bytes);
  request->req.data = request;
  uv_buf_t rest = uv_buf_init(const_cast<char*>(request->bytes->data() + sent), static_cast<unsigned>(request->length));
  if (uv_write(&request->req, stream(), &rest, 1, &ControlSession::onWrite) != 0) {
    delete request;
    close();
    return;
  }
  queued_bytes_ += request->length;
}

void ControlSession::onWrite(uv_write_t* req, int status) {
  auto* request = static_cast<WriteRequest*>(req->data);
  ControlSession* self = request->session;  // alive: uv_close runs write callbacks before its own
  self->queued_bytes_ -= request->length;
  delete request;
  if (self->closing_) {
    return;
  }
  if (status < 0) {
    self->close();
    return;
  }
  if (self->finish_when_flushed_) {
    self->maybeFinish();
  }
}

void ControlSession::finishWhenFlushed() {
  finish_when_flushed_ = true;
  stopReading();
  maybeFinish();
}

void ControlSession::maybeFinish() {
  if (pending_.empty() && queued_bytes_ == 0) {
    close();
  }
}

}  // namespace sluice::control
