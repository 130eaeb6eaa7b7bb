#pragma once
// Host name -> index of the certificate that serves it, built from the certificates' names (exact
// "a.example.com" and wildcard "*.example.com"). Immutable once built; read concurrently by every
// worker's handshakes without locks.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sluice::tls {

class SniTable {
 public:
  // Adds the names of certificate number `index`. A name already taken by an earlier certificate
  // keeps the earlier one (first listed wins, as documented for the config).
  void add(size_t index, const std::vector<std::string>& names);

  // The certificate for `host` (any case): an exact name first, then a wildcard matching exactly one
  // leading label ("*.example.com" matches "a.example.com", not "example.com" nor "a.b.example.com").
  std::optional<size_t> find(std::string_view host) const;

 private:
  std::unordered_map<std::string, size_t> exact_;
  std::unordered_map<std::string, size_t> wildcard_;  // keyed by the part after "*."
};

}  // namespace sluice::tls
