#pragma once
// "Did you mean" for misspelt keys: the nearest candidate by edit distance.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sluice::config {

// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps.
size_t editDistance(std::string_view a, std::string_view b);

// The candidate nearest to `word` if its distance is at most 2 and at most half the candidate's
// length (so a short unrelated word like 'foo' is not "corrected" to 'log'). Ties: the first one.
std::optional<std::string> nearest(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace sluice::config
