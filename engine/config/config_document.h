#pragma once
// Edits to the config file's text made over the control socket: one top-level section
// (`rate_limits:` or `cache_policies:`) is rewritten, and every other byte of the file, comments
// included, is kept. Also the document as JSON (config.get) and the JSON path of a line (so a
// loader error `file:12: ...` can name `rate_limits[0].window`). Pure functions; nothing throws.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::config {

enum class Section { RateLimits, CachePolicies };

// "rate_limits" | "cache_policies"
std::string_view sectionKey(Section section);

// The whole document as JSON. Scalars that read as integers, floats or true/false become JSON
// numbers and booleans; null/~/empty becomes null; everything else is a string ("1m", "8MiB").
// nullopt, with `error` set, when the text is not YAML.
std::optional<nlohmann::json> documentToJson(std::string_view yaml, std::string& error);

// The entries of `section`, as documentToJson shows them; empty when the section is absent.
std::vector<nlohmann::json> sectionEntries(std::string_view yaml, Section section);

struct EditedText {
  std::string yaml;
  bool created = false;  // the entry was appended (no entry had its name)
};

// Replaces the entry whose `name` is entry["name"], or appends it when none has it (creating the
// section at the end of the file when it is absent). `entry` must be an object with a non-empty
// string `name` and values that are scalars, lists or objects; otherwise nullopt with `error` set
// (a bad_request message). The result is not validated: load it to check it.
std::optional<EditedText> setEntry(std::string_view yaml, Section section, const nlohmann::json& entry,
                                   std::string& error);

// Removes the entry named `name`; nullopt when there is none.
std::optional<std::string> deleteEntry(std::string_view yaml, Section section, std::string_view name);

// The JSON-style path of the map key or list item that starts on `line` (1-based), or of the
// innermost one enclosing it: "rate_limits[0].window", "routes[2].rate_limits[1]". "" when the line
// is outside every top-level key (or the text is not YAML).
std::string fieldPathAtLine(std::string_view yaml, int line);

}  // namespace sluice::config
