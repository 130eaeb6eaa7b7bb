#include "engine/tls/handshake_recorder.h"

#include <string>

#include "engine/log/logger.h"

namespace sluice::tls {
namespace {

stats::Counter stats::NodeCounters::*failureCounter(HandshakeFailure reason) {
  switch (reason) {
    case HandshakeFailure::Timeout:
      return &stats::NodeCounters::tls_failed_timeout;
    case HandshakeFailure::PlainHttp:
      return &stats::NodeCounters::tls_failed_plain_http;
    case HandshakeFailure::ProtocolVersion:
      return &stats::NodeCounters::tls_failed_protocol_version;
    case HandshakeFailure::NoSharedCipher:
      return &stats::NodeCounters::tls_failed_no_shared_cipher;
    case HandshakeFailure::ClientCertificate:
      return &stats::NodeCounters::tls_failed_client_certificate;
    case HandshakeFailure::Closed:
      return &stats::NodeCounters::tls_failed_closed;
    case HandshakeFailure::Other:
      break;
  }
  return &stats::NodeCounters::tls_failed_other;
}

}  // namespace

void HandshakeRecorder::succeeded(const SSL* ssl) {
  stats::NodeCounters& node = stats_.node();
  stats::bump(node.tls_handshakes);
  const bool resumed = SSL_session_reused(ssl) == 1;
  if (resumed) {
    stats::bump(node.tls_resumed);
  }
  stats::TlsCipherStats* slot = cipherSlot(ssl);
  stats::bump(slot->handshakes);
  if (resumed) {
    stats::bump(slot->resumed);
  }
}

stats::TlsCipherStats* HandshakeRecorder::cipherSlot(const SSL* ssl) {
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
  const int version = SSL_version(ssl);
  for (const auto& [key, slot] : slots_) {
    if (key.first == cipher && key.second == version) {
      return slot;
    }
  }
  std::string name = SSL_get_version(ssl);
  name += ' ';
  name += cipher != nullptr ? SSL_CIPHER_get_name(cipher) : "unknown";
  stats::TlsCipherStats* slot = stats_.tlsCipher(name);
  // The table of possible pairs is small and fixed by the config; capped anyway, like the stats table.
  if (slots_.size() < stats::WorkerStats::kMaxTlsCiphers) {
    slots_.push_back({{cipher, version}, slot});
  }
  return slot;
}

void HandshakeRecorder::failed(HandshakeFailure reason, std::string_view peer, std::string_view detail) {
  stats::bump(stats_.node().*failureCounter(reason));
  // A client that connects and leaves (a port probe, a load balancer's TCP check) is routine.
  const log::Level level = reason == HandshakeFailure::Closed ? log::Level::Debug : log::Level::Info;
  if (!log::enabled(level) || !mayLog()) {
    return;
  }
  std::string line =
      "tls: handshake with " + std::string(peer) + " failed: " + std::string(handshakeFailureName(reason));
  if (!detail.empty()) {
    line += " (" + std::string(detail) + ")";
  }
  log::write(level, line);
}

bool HandshakeRecorder::mayLog() {
  const auto now = std::chrono::steady_clock::now();
  if (now - window_start_ >= kLogWindow) {
    if (suppressed_ > 0) {
      log::info("tls: {} more handshake failures were not logged (see sluice_tls_handshake_failures_total)",
                suppressed_);
    }
    window_start_ = now;
    logged_in_window_ = 0;
    suppressed_ = 0;
  }
  if (logged_in_window_ >= kLogBurst) {
    ++suppressed_;
    return false;
  }
  ++logged_in_window_;
  return true;
}

}  // namespace sluice::tls
