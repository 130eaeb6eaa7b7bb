#pragma once
// Completed TLS handshakes of one (protocol version, cipher) pair on one worker, e.g.
// "TLSv1.3 TLS_AES_128_GCM_SHA256". Written by that worker only (see counter.h), read by the control
// thread. Lives in WorkerStats' TLS table for the worker's life.

#include <string>
#include <string_view>

#include "engine/stats/counter.h"

namespace sluice::stats {

struct TlsCipherStats {
  explicit TlsCipherStats(std::string slot_name) : name(std::move(slot_name)) {}

  // The slot name is "<version> <cipher>"; these split it.
  std::string_view version() const { return std::string_view(name).substr(0, name.find(' ')); }
  std::string_view cipher() const {
    const size_t space = name.find(' ');
    return space == std::string::npos ? std::string_view() : std::string_view(name).substr(space + 1);
  }

  const std::string name;
  Counter handshakes{0};
  Counter resumed{0};
};

}  // namespace sluice::stats
