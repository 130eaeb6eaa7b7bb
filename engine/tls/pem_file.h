#pragma once
// Reads a small PEM file into a memory BIO, with an errno-based message when it cannot. Internal to
// engine/tls; called only where config loads (it blocks on the file system).

#include <string>

#include "engine/tls/openssl_ptr.h"

namespace sluice::tls::detail {

// PEM files beyond this size are refused: certificates, keys and CA bundles are far smaller, and a
// wrong path (a log, a disk image) must not be read whole into memory.
constexpr size_t kMaxPemBytes = 4 * 1024 * 1024;

// A read-only BIO over the file's bytes, or null with `error` set ("cannot read WHAT 'PATH': ...").
BioPtr readPemFile(const std::string& path, const char* what, std::string& error);

}  // namespace sluice::tls::detail
