#include "engine/node/listen_sockets.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <uv.h>

#include "engine/log/logger.h"

#include <fmt/format.h>

namespace sluice::node {
namespace {

constexpr int kBacklog = 4096;

bool toSockaddr(const config::Address& a, sockaddr_storage& out, socklen_t& length) {
  std::memset(&out, 0, sizeof(out));
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out);
  if (inet_pton(AF_INET, a.host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(a.port);
    length = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out);
  std::string host = a.host;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(a.port);
    length = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

std::string describe(const sockaddr_storage& s) {
  char text[INET6_ADDRSTRLEN] = {0};
  if (s.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&s);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
    return fmt::format("[{}]:{}", text, ntohs(v6->sin6_port));
  }
  const auto* v4 = reinterpret_cast<const sockaddr_in*>(&s);
  inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
  return fmt::format("{}:{}", text, ntohs(v4->sin_port));
}

// A socket bound to `addr`; -1 with errno set on failure.
int bindSocket(const sockaddr_storage& addr, socklen_t length, bool reuse_port) {
  const int fd = ::socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return -1;
  }
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (reuse_port) {
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
  }
  if (addr.ss_family == AF_INET6) {
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
  }
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), length) != 0 || ::listen(fd, kBacklog) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

void closeAll(std::vector<server::WorkerSockets>& out) {
  for (server::WorkerSockets& w : out) {
    for (int fd : w.fds) {
      ::close(fd);
    }
  }
  out.clear();
}

bool sameSockaddr(const sockaddr_storage& a, const sockaddr_storage& b, bool any_port) {
  if (a.ss_family != b.ss_family) {
    return false;
  }
  if (a.ss_family == AF_INET6) {
    const auto& x = reinterpret_cast<const sockaddr_in6&>(a);
    const auto& y = reinterpret_cast<const sockaddr_in6&>(b);
    return std::memcmp(&x.sin6_addr, &y.sin6_addr, sizeof(x.sin6_addr)) == 0 &&
           (any_port || x.sin6_port == y.sin6_port);
  }
  const auto& x = reinterpret_cast<const sockaddr_in&>(a);
  const auto& y = reinterpret_cast<const sockaddr_in&>(b);
  return x.sin_addr.s_addr == y.sin_addr.s_addr && (any_port || x.sin_port == y.sin_port);
}

// The inherited sockets of `l`, when they are bound where it says; otherwise they are closed.
std::vector<int> inheritedFor(const config::ListenerConfig& l, InheritedSockets& inherited) {
  std::vector<int> fds = inherited.takeListener(l.name);
  if (fds.empty() || socketHasAddress(fds.front(), l.address)) {
    return fds;
  }
  log::info("binary upgrade: listener {} moved to {}; its inherited sockets are closed", l.name, l.address.text);
  for (int fd : fds) {
    ::close(fd);
  }
  return {};
}

// Worker i takes inherited socket i; sockets beyond the worker count go round the workers again
// (each is in the kernel's SO_REUSEPORT group and the old node still accepts on it: closing one would
// lose its queue); workers beyond the inherited count bind their own into the same group.
bool adoptInherited(const config::ListenerConfig& l, uint32_t workers, std::vector<int> taken,
                    std::vector<server::WorkerSockets>& out, std::vector<BoundListener>& bound, std::string& error) {
  sockaddr_storage addr{};
  socklen_t length = sizeof(addr);
  getsockname(taken.front(), reinterpret_cast<sockaddr*>(&addr), &length);
  bound.push_back({l.name, describe(addr)});
  for (size_t i = 0; i < taken.size(); ++i) {
    out[i % workers].fds.push_back(taken[i]);
    out[i % workers].names.push_back(l.name);
  }
  for (size_t w = taken.size(); w < workers; ++w) {
    const int fd = bindSocket(addr, length, true);
    if (fd < 0) {
      error = fmt::format("cannot listen on {}: {}", describe(addr), uv_strerror(uv_translate_sys_error(errno)));
      return false;
    }
    out[w].fds.push_back(fd);
    out[w].names.push_back(l.name);
  }
  return true;
}

}  // namespace

bool socketHasAddress(int fd, const config::Address& address) {
  sockaddr_storage want{};
  socklen_t length = 0;
  sockaddr_storage have{};
  socklen_t have_length = sizeof(have);
  return toSockaddr(address, want, length) &&
         ::getsockname(fd, reinterpret_cast<sockaddr*>(&have), &have_length) == 0 &&
         sameSockaddr(want, have, address.port == 0);
}

bool openListenSockets(const config::Config& config, uint32_t workers, InheritedSockets& inherited,
                       std::vector<server::WorkerSockets>& out, std::vector<BoundListener>& bound,
                       std::string& error) {
  out.assign(workers, server::WorkerSockets{});
  bound.clear();
  for (const config::ListenerConfig& l : config.listeners) {
    const std::string where = fmt::format("{}:{}: listener {}", l.where.file, l.where.line, l.name);
    sockaddr_storage addr{};
    socklen_t length = 0;
    if (!toSockaddr(l.address, addr, length)) {
      error = fmt::format("{}: '{}' is not a numeric address", where, l.address.text);
      closeAll(out);
      return false;
    }
    if (std::vector<int> taken = inheritedFor(l, inherited); !taken.empty()) {
      if (!adoptInherited(l, workers, std::move(taken), out, bound, error)) {
        error = fmt::format("{}: {}", where, error);
        closeAll(out);
        return false;
      }
      continue;
    }
    if (l.address.port != 0) {
      // SO_REUSEPORT would let us share a port that another process (say, a second sluice) holds
      // with SO_REUSEPORT too: probe without it first so "in use" is reported, not shared.
      const int probe = bindSocket(addr, length, false);
      if (probe < 0) {
        error = fmt::format("{}: cannot listen on {}: {}", where, l.address.text, uv_strerror(uv_translate_sys_error(errno)));
        closeAll(out);
        return false;
      }
      ::close(probe);
    }
    for (uint32_t w = 0; w < workers; ++w) {
      const int fd = bindSocket(addr, length, true);
      if (fd < 0) {
        error = fmt::format("{}: cannot listen on {}: {}", where, describe(addr), uv_strerror(uv_translate_sys_error(errno)));
        closeAll(out);
        return false;
      }
      if (w == 0) {
        // Port 0: the first socket's port is the one every other worker binds.
        length = sizeof(addr);
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
        bound.push_back({l.name, describe(addr)});
      }
      out[w].fds.push_back(fd);
      out[w].names.push_back(l.name);
    }
  }
  return true;
}

int openSingleSocket(const config::Address& address, std::string& bound_address, std::string& error) {
  sockaddr_storage addr{};
  socklen_t length = 0;
  if (!toSockaddr(address, addr, length)) {
    error = fmt::format("'{}' is not a numeric address", address.text);
    return -1;
  }
  const int fd = bindSocket(addr, length, false);
  if (fd < 0) {
    error = fmt::format("cannot listen on {}: {}", address.text, uv_strerror(uv_translate_sys_error(errno)));
    return -1;
  }
  length = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  bound_address = describe(addr);
  return fd;
}

}  // namespace sluice::node
