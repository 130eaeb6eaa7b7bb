#pragma once
// Where a top-level section (`rate_limits:`) is in the config text, for the line splice of
// config_document: [begin, end) covers the key's line through the section's last line that is
// neither blank nor a comment. Blank lines and comments after that stay outside with whatever
// follows, so a comment block above the next key stays with that key. The next key is found from
// yaml-cpp's marks, so a flow collection whose closing bracket starts a line is not mistaken for
// one. Internal to engine/config; nothing here throws.

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "engine/config/config_document.h"

namespace sluice::config::detail {

struct SectionPlace {
  bool found = false;  // false: the document has no such key (append the section at the end)
  YAML::Node value;    // the section's value when found
  size_t begin = 0;
  size_t end = 0;
};

// nullopt with `error` when the layout cannot be edited line by line (a flow-style top-level map,
// a key that does not start its line, a document that is not a map).
std::optional<SectionPlace> locateSection(std::string_view text, const YAML::Node& root, Section section,
                                          std::string& error);

}  // namespace sluice::config::detail
