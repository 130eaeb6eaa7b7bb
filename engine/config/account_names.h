#pragma once
// User and group names to numeric ids (getpwnam_r / getgrnam_r), for the `control:` settings. The
// lookups may ask NSS (files, LDAP...), so they run while a config is loaded, never on a loop's
// request path. Thread-safe: no shared buffers.

#include <sys/types.h>

#include <optional>
#include <string>

namespace sluice::config {

// nullopt when there is no such user / group (or the lookup failed).
std::optional<uid_t> lookupUser(const std::string& name);
std::optional<gid_t> lookupGroup(const std::string& name);

}  // namespace sluice::config
