#pragma once
// Tells systemd how the node is doing (sd_notify, Type=notify in installer/sluice.service): READY=1
// once every listener is open, RELOADING=1 (with MONOTONIC_USEC) then READY=1 around a SIGHUP
// reload, STOPPING=1 when draining starts, STATUS= lines for `systemctl status`, and WATCHDOG=1
// pings at half of WATCHDOG_USEC when the service manager asked for them (WatchdogSec=).
// Without NOTIFY_SOCKET every call is a no-op (sd_notify returns 0). Each message is one datagram
// send on a socket libsystemd opens per call: it never waits on the receiver.
//
// Owns the watchdog timer (a core::Timer on the control loop, closed by stop()). Runs on the
// control thread only. Pings come from that loop, so a control loop that stops turning stops them,
// and systemd restarts the node when the watchdog runs out.

#include <sys/types.h>
#include <uv.h>

#include <cstdint>
#include <string>

#include "engine/core/timer.h"

namespace sluice::node {

class ServiceNotifier {
 public:
  explicit ServiceNotifier(uv_loop_t* loop);
  ~ServiceNotifier();
  ServiceNotifier(const ServiceNotifier&) = delete;
  ServiceNotifier& operator=(const ServiceNotifier&) = delete;

  // READY=1 with a STATUS line; the first call also starts the watchdog pings when asked for.
  void ready(const std::string& status);
  void reloading();
  void stopping();
  void status(const std::string& text);
  // Binary upgrade, new node: starts the watchdog pings without READY=1 (the old node says READY=1
  // with MAINPID= for this process once it has read our ready line).
  void startedByUpgrade();
  // Binary upgrade, old node: MAINPID=pid and READY=1 for the new node, then nothing more from this
  // process (systemd listens to the main process only, and that is the new one now).
  void handOver(pid_t pid, const std::string& status);
  // Stops the watchdog pings and closes the timer (before the loop ends).
  void stop();

  // The ping interval in microseconds (half of WATCHDOG_USEC), 0 when no watchdog was asked for.
  uint64_t watchdogIntervalUsec() const { return watchdog_interval_usec_; }

 private:
  void send(const std::string& message);
  void startWatchdog();

  uv_loop_t* loop_;
  core::Timer* watchdog_ = nullptr;
  uint64_t watchdog_interval_usec_ = 0;
  bool watchdog_checked_ = false;
  bool handed_over_ = false;
};

}  // namespace sluice::node
