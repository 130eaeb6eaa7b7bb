#pragma once
// The first queued OpenSSL error of this thread as text, for configuration errors; the queue is
// cleared.

#include <string>

namespace sluice::tls {

// "WHAT: error:0A000086:SSL routines::certificate verify failed" (or "WHAT: unknown error").
std::string opensslError(const std::string& what);

}  // namespace sluice::tls
