#include "engine/ctl/control_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace sluice::ctl {
namespace {

std::string seconds(std::chrono::milliseconds ms) {
  const double s = static_cast<double>(ms.count()) / 1000.0;
  char text[32];
  std::snprintf(text, sizeof text, "%g s", s);
  return text;
}

}  // namespace

ControlClient::~ControlClient() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

bool ControlClient::connect(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    connect_errno_ = ENAMETOOLONG;
    error_ = "the path is longer than " + std::to_string(sizeof(addr.sun_path) - 1) + " bytes";
    return false;
  }
  std::memcpy(addr.sun_path, path.data(), path.size());
  fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    connect_errno_ = errno;
    error_ = std::strerror(errno);
    return false;
  }
  // A Unix socket connect does not wait for the peer to accept (only for a full backlog, which is
  // rare and short); a blocking connect keeps this simple.
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    connect_errno_ = errno;
    error_ = std::strerror(errno);
    ::close(fd_);
    fd_ = -1;
    return false;
  }
  return true;
}

bool ControlClient::sendAll(const std::string& data) {
  size_t sent = 0;
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd p{fd_, POLLOUT, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) == 0) {
        error_ = "timed out after " + seconds(timeout_) + " sending the request";
        return false;
      }
      continue;
    }
    error_ = std::string("sending the request: ") + std::strerror(errno);
    return false;
  }
  return true;
}

ControlClient::LineStatus ControlClient::readLine(std::string& line,
                                                  std::chrono::steady_clock::time_point deadline) {
  size_t scanned = 0;
  for (;;) {
    const size_t nl = buffer_.find('\n', scanned);
    if (nl != std::string::npos) {
      line.assign(buffer_, 0, nl);
      buffer_.erase(0, nl + 1);
      return LineStatus::Line;
    }
    scanned = buffer_.size();
    if (buffer_.size() > kMaxLine) {
      error_ = "a reply line is over " + std::to_string(kMaxLine >> 20) + " MiB";
      return LineStatus::Failed;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return LineStatus::Timeout;
    }
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1 << 30)));
    if (ready < 0) {
      if (errno == EINTR) {
        return LineStatus::Interrupted;
      }
      error_ = std::string("poll: ") + std::strerror(errno);
      return LineStatus::Failed;
    }
    if (ready == 0) {
      return LineStatus::Timeout;
    }
    char chunk[65536];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
    } else if (n == 0) {
      error_ = "the node closed the connection";
      return LineStatus::Failed;
    } else if (errno == EINTR) {
      return LineStatus::Interrupted;
    } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
      error_ = std::string("reading the reply: ") + std::strerror(errno);
      return LineStatus::Failed;
    }
  }
}

Reply ControlClient::call(const std::string& method, const nlohmann::json& params) {
  Reply reply;
  if (fd_ < 0) {
    reply.transport = "not connected";
    return reply;
  }
  const int64_t id = next_id_++;
  nlohmann::json request = {{"id", id}, {"method", method}};
  if (!params.is_null()) {
    request["params"] = params;
  }
  if (!sendAll(request.dump() + "\n")) {
    reply.transport = error_;
    return reply;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  std::string line;
  for (;;) {
    const LineStatus status = readLine(line, deadline);
    if (status == LineStatus::Interrupted) {
      continue;  // the deadline still bounds the wait
    }
    if (status == LineStatus::Timeout) {
      reply.transport = "timed out after " + seconds(timeout_) + " waiting for the reply to " + method;
      return reply;
    }
    if (status == LineStatus::Failed) {
      reply.transport = error_;
      return reply;
    }
    nlohmann::json message = nlohmann::json::parse(line, nullptr, false);
    if (message.is_discarded() || !message.is_object()) {
      reply.transport = "the node sent a line that is not a JSON object";
      return reply;
    }
    if (message.contains("event")) {
      continue;
    }
    auto it = message.find("id");
    const bool ours =
        it != message.end() && ((it->is_number_integer() && it->get<int64_t>() == id) || it->is_null());
    if (!ours) {
      continue;  // a reply to an earlier request we gave up on
    }
    if (auto e = message.find("error"); e != message.end() && e->is_object()) {
      reply.kind = Reply::Kind::Error;
      reply.error = *e;
      return reply;
    }
    if (auto r = message.find("result"); r != message.end()) {
      reply.kind = Reply::Kind::Result;
      reply.result = *r;
      return reply;
    }
    reply.transport = "the reply has neither result nor error";
    return reply;
  }
}

bool ControlClient::nextEvent(nlohmann::json& event, std::chrono::milliseconds wait, bool& timed_out) {
  timed_out = false;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  std::string line;
  for (;;) {
    const LineStatus status = readLine(line, deadline);
    if (status == LineStatus::Timeout) {
      timed_out = true;
      return false;
    }
    if (status == LineStatus::Interrupted) {
      error_.clear();
      return false;
    }
    if (status == LineStatus::Failed) {
      return false;
    }
    nlohmann::json message = nlohmann::json::parse(line, nullptr, false);
    if (message.is_discarded() || !message.is_object() || !message.contains("event")) {
      continue;
    }
    event = std::move(message);
    return true;
  }
}

}  // namespace sluice::ctl
