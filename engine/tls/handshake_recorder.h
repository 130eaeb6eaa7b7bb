#pragma once
// Counts and logs the TLS handshakes of one worker: completions (resumed or not, per protocol version
// and cipher) and failures by reason. Owned by the worker; used on its loop thread only.
//
// Failure logging is rate-limited: at most kLogBurst lines per kLogWindow per worker, then one line
// saying how many were left out, so a scanner or a misconfigured client fleet cannot flood the log.
// The counters always count everything.

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/stats/worker_stats.h"
#include "engine/tls/handshake_failure.h"

namespace sluice::tls {

class HandshakeRecorder {
 public:
  static constexpr uint32_t kLogBurst = 10;
  static constexpr std::chrono::seconds kLogWindow{10};

  explicit HandshakeRecorder(stats::WorkerStats& stats) : stats_(stats) {}

  void succeeded(const SSL* ssl);
  // `peer` is the client address; `detail` OpenSSL's reason text, or empty.
  void failed(HandshakeFailure reason, std::string_view peer, std::string_view detail);

 private:
  stats::TlsCipherStats* cipherSlot(const SSL* ssl);
  bool mayLog();

  stats::WorkerStats& stats_;
  // (cipher, version) -> slot: a handful of pairs per node, so a linear scan beats hashing.
  std::vector<std::pair<std::pair<const SSL_CIPHER*, int>, stats::TlsCipherStats*>> slots_;
  std::chrono::steady_clock::time_point window_start_{};
  uint32_t logged_in_window_ = 0;
  uint64_t suppressed_ = 0;
};

}  // namespace sluice::tls
