#include "engine/proxy/health_probe.h"

#include <cstring>

#include "engine/log/logger.h"

namespace sluice::proxy {
namespace {

std::string buildRequest(const config::HealthCheckConfig& config, const std::string& server) {
  return "GET " + config.path + " HTTP/1.1\r\nHost: " + (config.host.empty() ? server : config.host) +
         "\r\nUser-Agent: sluice-health-check\r\nAccept: */*\r\nConnection: close\r\n\r\n";
}

// The status of "HTTP/1.x NNN ...", or 0 when the line is not one.
int statusOf(std::string_view line) {
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || line[8] != ' ') {
    return 0;
  }
  int status = 0;
  for (size_t i = 9; i < 12; ++i) {
    if (line[i] < '0' || line[i] > '9') {
      return 0;
    }
    status = status * 10 + (line[i] - '0');
  }
  return status;
}

}  // namespace

HealthProbe::HealthProbe(uv_loop_t* loop, HealthBoard& board, std::string upstream, std::string server,
                         const sockaddr_storage& address, config::HealthCheckConfig config)
    : loop_(loop),
      board_(board),
      upstream_(std::move(upstream)),
      server_(std::move(server)),
      address_(address),
      config_(std::move(config)),
      request_(buildRequest(config_, server_)),
      interval_timer_(core::Timer::create(loop, [this] { check(); })),
      timeout_timer_(core::Timer::create(loop, [this] { finish(false, "timed out"); })) {
  // A server keeps the state it had (a reload re-creates probes); a new one starts up.
  up_ = board_.get(upstream_, server_) != HealthState::Down;
  board_.set(upstream_, server_, up_ ? HealthState::Up : HealthState::Down);
  interval_timer_->startRepeating(static_cast<uint64_t>(config_.interval.count()));
  check();
}

HealthProbe::~HealthProbe() {
  closeStream();
  interval_timer_->close();
  timeout_timer_->close();
}

bool HealthProbe::sameTarget(const sockaddr_storage& address, const config::HealthCheckConfig& config) const {
  return std::memcmp(&address, &address_, sizeof(address)) == 0 && config == config_;
}

void HealthProbe::check() {
  if (stream_ != nullptr) {
    return;  // the previous check is still running (its timeout ends it)
  }
  received_.clear();
  stream_ = core::TcpStream::create(loop_);
  stream_->setHandler(this);
  timeout_timer_->start(static_cast<uint64_t>(config_.timeout.count()));
  if (const int rc = stream_->connect(reinterpret_cast<const sockaddr*>(&address_), &HealthProbe::onConnect, this);
      rc != 0) {
    finish(false, std::string("connect: ") + uv_strerror(rc));
  }
}

void HealthProbe::onConnect(void* context, int status) {
  auto* self = static_cast<HealthProbe*>(context);
  if (status != 0) {
    self->finish(false, std::string("connect: ") + uv_strerror(status));
    return;
  }
  self->stream_->startReading();
  if (!self->stream_->write(self->request_.data(), self->request_.size())) {
    self->finish(false, "write failed");
  }
}

void HealthProbe::onStreamData(const char* data, size_t length) {
  received_.append(data, std::min(length, kMaxStatusLine + 2 - std::min(received_.size(), kMaxStatusLine + 2)));
  const size_t eol = received_.find("\r\n");
  if (eol == std::string::npos) {
    if (received_.size() > kMaxStatusLine) {
      finish(false, "no status line");
    }
    return;
  }
  const int status = statusOf(std::string_view(received_).substr(0, eol));
  if (status == 0) {
    finish(false, "not an HTTP response");
    return;
  }
  for (const config::StatusRange& r : config_.expect) {
    if (status >= r.low && status <= r.high) {
      finish(true, "");
      return;
    }
  }
  finish(false, "status " + std::to_string(status));
}

void HealthProbe::onStreamEnd(int status) {
  finish(false, status == UV_EOF ? std::string("closed without a status line") : std::string(uv_strerror(status)));
}

void HealthProbe::finish(bool passed, const std::string& why) {
  timeout_timer_->stop();
  closeStream();
  if (passed) {
    failures_ = 0;
    ++passes_;
    if (!up_ && passes_ >= config_.rise) {
      up_ = true;
      board_.set(upstream_, server_, HealthState::Up);
      log::info("upstream {}: server {} is up (health check passed {} times)", upstream_, server_, passes_);
    }
    return;
  }
  passes_ = 0;
  ++failures_;
  if (up_ && failures_ >= config_.fall) {
    up_ = false;
    board_.set(upstream_, server_, HealthState::Down);
    log::warn("upstream {}: server {} is down (health check failed {} times; last: {})", upstream_, server_,
              failures_, why);
  }
}

void HealthProbe::closeStream() {
  if (stream_ != nullptr) {
    stream_->close();
    stream_ = nullptr;
  }
}

}  // namespace sluice::proxy
