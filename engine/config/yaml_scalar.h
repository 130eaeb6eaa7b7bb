#pragma once
// How a YAML scalar reads: the type a plain scalar has under YAML's core schema as Sluice uses it
// (the config loader reads true/false and decimal integers; anything else is text it parses
// itself, like "1m" or "8MiB"). Shared by the JSON view of the config and by the emitter, which must
// quote a string that would otherwise read back as another type. Internal to engine/config.

#include <string_view>

namespace sluice::config::detail {

enum class ScalarKind { Null, Bool, Int, Float, String };

// The kind of a plain (unquoted) scalar as the JSON view shows it: null for "", "~", "null";
// true/false; decimal integers that fit 64 bits; decimal floats; everything else a string.
ScalarKind plainScalarKind(std::string_view text);

// True when `text`, written plain, could be read as something other than that string by this or
// any common YAML reader (numbers in any base, YAML 1.1 booleans such as "yes", ".inf", "null", "").
bool needsQuotes(std::string_view text);

}  // namespace sluice::config::detail
