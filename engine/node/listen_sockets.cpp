#include "engine/node/listen_sockets.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <uv.h>

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

}  // namespace

bool openListenSockets(const config::Config& config, uint32_t workers, std::vector<server::WorkerSockets>& out,
                       std::vector<BoundListener>& bound, std::string& error) {
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
