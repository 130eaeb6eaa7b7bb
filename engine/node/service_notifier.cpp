#include "engine/node/service_notifier.h"

#include <systemd/sd-daemon.h>

#include <ctime>

#include "engine/log/logger.h"

namespace sluice::node {
namespace {

uint64_t monotonicUsec() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

// STATUS= is one line: a newline would start a new assignment in the message.
std::string oneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') {
      c = ' ';
    }
  }
  return text;
}

}  // namespace

ServiceNotifier::ServiceNotifier(uv_loop_t* loop) : loop_(loop) {}

ServiceNotifier::~ServiceNotifier() { stop(); }

void ServiceNotifier::send(const std::string& message) {
  if (handed_over_) {
    return;
  }
  // Negative: NOTIFY_SOCKET is set but the send failed. Not fatal (systemd would time the start
  // out, which is the right outcome), but worth a line.
  if (const int rc = sd_notify(0, message.c_str()); rc < 0) {
    log::warn("sd_notify: cannot notify the service manager (error {})", -rc);
  }
}

void ServiceNotifier::ready(const std::string& status) {
  send("READY=1\nSTATUS=" + oneLine(status));
  if (!watchdog_checked_) {
    watchdog_checked_ = true;
    startWatchdog();
  }
}

void ServiceNotifier::startedByUpgrade() {
  if (!watchdog_checked_) {
    watchdog_checked_ = true;
    startWatchdog();
  }
}

void ServiceNotifier::handOver(pid_t pid, const std::string& status) {
  send("MAINPID=" + std::to_string(pid) + "\nREADY=1\nSTATUS=" + oneLine(status));
  handed_over_ = true;
  stop();
}

void ServiceNotifier::reloading() {
  // systemd >= 253 (Type=notify-reload) wants MONOTONIC_USEC with RELOADING=1; older ones ignore it.
  send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(monotonicUsec()) + "\nSTATUS=reloading the config");
}

void ServiceNotifier::stopping() { send("STOPPING=1\nSTATUS=draining"); }

void ServiceNotifier::status(const std::string& text) { send("STATUS=" + oneLine(text)); }

void ServiceNotifier::startWatchdog() {
  uint64_t usec = 0;
  // > 0: WATCHDOG_USEC is set (and WATCHDOG_PID, when set, is this process).
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) {
    return;
  }
  // Half the interval, as sd_watchdog_enabled(3) advises; at least 1 ms for the timer.
  watchdog_interval_usec_ = usec / 2;
  const uint64_t interval_ms = watchdog_interval_usec_ / 1000 == 0 ? 1 : watchdog_interval_usec_ / 1000;
  watchdog_ = core::Timer::create(loop_, [this] { send("WATCHDOG=1"); });
  watchdog_->startRepeating(interval_ms);
  send("WATCHDOG=1");
  log::info("watchdog: pinging systemd every {} ms", interval_ms);
}

void ServiceNotifier::stop() {
  if (watchdog_ != nullptr) {
    watchdog_->close();
    watchdog_ = nullptr;
  }
}

}  // namespace sluice::node
