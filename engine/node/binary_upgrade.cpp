#include "engine/node/binary_upgrade.h"

#include <csignal>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/core/uv_error.h"
#include "engine/log/logger.h"

extern char** environ;

namespace sluice::node {
namespace {

constexpr int kReadyFd = 3;  // the pipe, in the new process

template <typename Handle>
void closeHandle(Handle*& handle) {
  if (handle == nullptr) {
    return;
  }
  handle->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(handle), [](uv_handle_t* h) { delete reinterpret_cast<Handle*>(h); });
  handle = nullptr;
}

// The parent's environment without an older map, then the new map.
std::vector<std::string> childEnvironment(const std::string& map) {
  std::vector<std::string> env;
  const std::string prefix = std::string("SLUICE_INHERITED_FDS") + "=";
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    if (std::strncmp(*e, prefix.c_str(), prefix.size()) != 0) {
      env.emplace_back(*e);
    }
  }
  env.push_back(prefix + map);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) {
    out.push_back(s.data());
  }
  out.push_back(nullptr);
  return out;
}

}  // namespace

BinaryUpgrade::BinaryUpgrade(uv_loop_t* loop, Ready ready, Failed failed)
    : loop_(loop), ready_(std::move(ready)), failed_(std::move(failed)) {}

BinaryUpgrade::~BinaryUpgrade() { close(); }

bool BinaryUpgrade::start(const std::vector<std::string>& command, const Sockets& sockets, std::string& error) {
  // The new process's descriptors: 0-2 as ours, 3 the ready pipe, then every socket in order.
  std::vector<uv_stdio_container_t> stdio(4);
  for (int fd = 0; fd < 3; ++fd) {
    stdio[fd].flags = UV_INHERIT_FD;
    stdio[fd].data.fd = fd;
  }
  pipe_ = new uv_pipe_t;
  uv_pipe_init(loop_, pipe_, 0);
  pipe_->data = this;
  stdio[kReadyFd].flags = static_cast<uv_stdio_flags>(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
  stdio[kReadyFd].data.stream = reinterpret_cast<uv_stream_t*>(pipe_);
  auto pass = [&stdio](int fd) {
    uv_stdio_container_t c{};
    c.flags = UV_INHERIT_FD;
    c.data.fd = fd;
    stdio.push_back(c);
    return static_cast<int>(stdio.size() - 1);
  };
  nlohmann::json map = {{"parent", static_cast<int>(::getpid())}, {"ready", kReadyFd}};
  if (sockets.control >= 0) {
    map["control"] = pass(sockets.control);
  }
  if (sockets.admin >= 0) {
    map["admin"] = pass(sockets.admin);
  }
  map["listeners"] = nlohmann::json::object();
  for (const auto& [name, fd] : sockets.listeners) {
    map["listeners"][name].push_back(pass(fd));
  }

  std::vector<std::string> args = command;
  std::vector<char*> argv = pointers(args);
  std::vector<std::string> env = childEnvironment(map.dump());
  std::vector<char*> envp = pointers(env);
  uv_process_options_t options{};
  options.file = argv[0];
  options.args = argv.data();
  options.env = envp.data();
  options.stdio = stdio.data();
  options.stdio_count = static_cast<int>(stdio.size());
  options.exit_cb = [](uv_process_t* p, int64_t status, int signal) {
    if (p->data != nullptr) {
      static_cast<BinaryUpgrade*>(p->data)->onExit(status, signal);
    }
  };
  process_ = new uv_process_t;
  process_->data = this;
  if (const int rc = uv_spawn(loop_, process_, &options); rc != 0) {
    error = fmt::format("cannot start {}: {}", command[0], core::uvErrorText(rc));
    closeHandle(process_);
    closeHandle(pipe_);
    return false;
  }
  pid_ = process_->pid;
  uv_read_start(
      reinterpret_cast<uv_stream_t*>(pipe_),
      [](uv_handle_t* h, size_t, uv_buf_t* buf) {
        auto* self = static_cast<BinaryUpgrade*>(h->data);
        *buf = uv_buf_init(self->buffer_, sizeof(self->buffer_));
      },
      [](uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
        if (s->data != nullptr) {
          static_cast<BinaryUpgrade*>(s->data)->onRead(nread, buf);
        }
      });
  timer_ = core::Timer::create(loop_, [this] {
    fail(fmt::format("node {} was not ready within {} s; stopped it", pid_, kReadyTimeoutMs / 1000));
    ::kill(pid_, SIGKILL);
  });
  timer_->start(kReadyTimeoutMs);
  log::info("binary upgrade: started {} as process {}", command[0], pid_);
  return true;
}

void BinaryUpgrade::onRead(ssize_t nread, const uv_buf_t* buf) {
  if (nread > 0 && std::memchr(buf->base, '\n', static_cast<size_t>(nread)) != nullptr && !decided_) {
    decided_ = true;
    if (timer_ != nullptr) {
      timer_->close();
      timer_ = nullptr;
    }
    closeHandle(pipe_);
    ready_(pid_);
    return;
  }
  if (nread < 0) {
    // The new process closed the pipe without the line: its exit status follows (onExit).
    closeHandle(pipe_);
  }
}

void BinaryUpgrade::onExit(int64_t status, int signal) {
  if (decided_) {
    log::warn("binary upgrade: node {} exited ({})", pid_,
              signal != 0 ? fmt::format("signal {}", signal) : fmt::format("status {}", status));
    closeHandle(process_);
    return;
  }
  fail(signal != 0 ? fmt::format("node {} was killed by signal {} before it was ready", pid_, signal)
                   : fmt::format("node {} exited with status {} before it was ready (its errors are logged above)",
                                 pid_, status));
}

void BinaryUpgrade::fail(const std::string& reason) {
  if (decided_) {
    return;
  }
  decided_ = true;
  failed_(reason);
}

void BinaryUpgrade::close() {
  if (timer_ != nullptr) {
    timer_->close();
    timer_ = nullptr;
  }
  closeHandle(pipe_);
  closeHandle(process_);
}

}  // namespace sluice::node
