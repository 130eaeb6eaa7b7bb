#include "engine/control/control_server.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cassert>

#include "engine/control/control_reply.h"
#include "engine/control/peer_credentials.h"
#include "engine/core/uv_error.h"
#include "engine/log/logger.h"

namespace sluice::control {

ControlServer::ControlServer(uv_loop_t* loop, const MethodTable& methods, PeerPolicy policy)
    : loop_(loop), methods_(methods), policy_(std::move(policy)) {}

ControlServer::~ControlServer() {
  assert(sessions_.empty() && listener_ == nullptr && "close() and the loop's close callbacks ran first");
  if (bound_.fd >= 0 && listener_ == nullptr && !closed_) {
    ::close(bound_.fd);  // bound but never handed to libuv
  }
}

bool ControlServer::bind(const std::string& path, std::optional<gid_t> group, std::string& error) {
  if (!bindSocketFile(path, group, bound_, error)) {
    return false;
  }
  path_ = path;
  return true;
}

bool ControlServer::adopt(const std::string& path, int fd) {
  sockaddr_un bound_to{};
  socklen_t length = sizeof(bound_to);
  struct stat file {};
  const bool same = ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound_to), &length) == 0 &&
                    bound_to.sun_family == AF_UNIX && path == bound_to.sun_path &&
                    ::stat(path.c_str(), &file) == 0 && S_ISSOCK(file.st_mode);
  if (!same) {
    ::close(fd);
    return false;
  }
  bound_.fd = fd;
  bound_.dev = file.st_dev;
  bound_.ino = file.st_ino;
  path_ = path;
  return true;
}

bool ControlServer::listen(std::string& error) {
  assert(bound_.fd >= 0 && listener_ == nullptr);
  listener_ = new uv_pipe_t;
  uv_pipe_init(loop_, listener_, 0);
  listener_->data = this;
  int rc = uv_pipe_open(listener_, bound_.fd);
  if (rc != 0) {
    ::close(bound_.fd);  // not the handle's yet
  } else {
    rc = uv_listen(reinterpret_cast<uv_stream_t*>(listener_), kBacklog, [](uv_stream_t* server, int status) {
      static_cast<ControlServer*>(server->data)->onConnection(status);
    });
  }
  if (rc != 0) {
    error = "cannot listen on " + path_ + ": " + core::uvErrorText(rc);
    return false;  // close() releases the handle (and with it the descriptor)
  }
  log::info("control socket listening on {}", path_);
  return true;
}

void ControlServer::close() {
  if (closed_) {
    return;
  }
  closed_ = true;
  if (listener_ != nullptr) {
    // The handle owns the descriptor from uv_pipe_open on.
    uv_close(reinterpret_cast<uv_handle_t*>(listener_), [](uv_handle_t* handle) {
      auto* self = static_cast<ControlServer*>(handle->data);
      self->listener_ = nullptr;
      delete reinterpret_cast<uv_pipe_t*>(handle);
    });
  } else if (bound_.fd >= 0) {
    ::close(bound_.fd);  // bound, never listened on
  }
  if (!path_.empty() && !keep_file_) {
    removeSocketFile(path_, bound_);
  }
  for (auto& [raw, session] : sessions_) {
    session->close();
  }
}

size_t ControlServer::clientCount() const {
  size_t count = 0;
  for (const auto& [raw, session] : sessions_) {
    count += session->closing() ? 0 : 1;
  }
  return count;
}

void ControlServer::sessionClosed(ControlSession* session) {
  sessions_.erase(session);
}

void ControlServer::onConnection(int status) {
  if (status < 0 || closed_) {
    if (status < 0) {
      log::warn("control: accept failed: {}", core::uvErrorText(status));
    }
    return;
  }
  const size_t attached = clientCount();
  auto session = std::make_shared<ControlSession>(loop_, *this);
  sessions_.emplace(session.get(), session);
  if (session->accept(reinterpret_cast<uv_stream_t*>(listener_)) != 0) {
    session->close();
    return;
  }
  const std::optional<Peer> peer = readPeerCredentials(session->fd());
  if (!peer) {
    log::warn("control: refused a peer whose credentials cannot be read");
    session->refuse(errorLine(nullptr, ControlError{"forbidden", "cannot tell who you are"}));
    return;
  }
  const int fd = session->fd();
  const bool allowed = policy_.allows(*peer, [fd, pid = peer->pid] { return readPeerGroups(fd, pid); });
  if (!allowed) {
    log::warn("control: refused uid={} gid={} pid={}", peer->uid, peer->gid, peer->pid);
    session->refuse(refusal(*peer));
    return;
  }
  if (attached >= policy_.max_clients) {
    log::warn("control: refused uid={} pid={}: too many clients ({})", peer->uid, peer->pid,
              policy_.max_clients);
    session->refuse(errorLine(
        nullptr,
        ControlError{"forbidden", "too many clients (" + std::to_string(policy_.max_clients) + ")"}));
    return;
  }
  log::debug("control: client attached uid={} pid={}", peer->uid, peer->pid);
  session->start(*peer);
}

std::string ControlServer::refusal(const Peer& peer) const {
  return errorLine(
      nullptr, ControlError{"forbidden", "uid " + std::to_string(peer.uid) + " (gid " +
                                             std::to_string(peer.gid) + ") is not allowed on this socket"});
}

void ControlServer::publish(const std::string& snapshot) {
  std::shared_ptr<const std::string> line;
  for (auto& [raw, session] : sessions_) {
    if (!session->subscribed()) {
      continue;
    }
    if (!line) {
      line = std::make_shared<const std::string>(rawEventLine("stats", snapshot));
    }
    session->sendEvent(line);
  }
}

}  // namespace sluice::control
