#pragma once
// The duration and size syntax of the config file (see docs/config-reference.md). Pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/config/config.h"

namespace sluice::config {

// "250ms", "2s", "1m", "1h", "1d" and combinations from the largest unit down ("1h30m", "1m30s").
// A bare number has no unit and is rejected; so are negative, fractional and overflowing values.
std::optional<Duration> parseDuration(std::string_view text);

// "512" (bytes), "16KiB"/"1MiB"/"1GiB"/"1TiB" (1024-based), "16KB"/"1MB"/"1GB"/"1TB" (1000-based),
// "16k"/"1m"/"1g" (nginx-style, 1024-based; K/M/G too), "512B". Rejects junk and overflow.
std::optional<uint64_t> parseSize(std::string_view text);

// The shortest text parseDuration reads back: "0s", "250ms", "1m30s", "1d2h".
std::string formatDuration(Duration d);

// "16KiB", "1MiB", "1500": the largest binary unit that divides the size exactly.
std::string formatSize(uint64_t bytes);

}  // namespace sluice::config
