#include "engine/config/section_place.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace sluice::config::detail {
namespace {

// Byte offsets where each line starts; one more entry for the end of the text.
std::vector<size_t> lineStarts(std::string_view text) {
  std::vector<size_t> starts{0};
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && i + 1 < text.size()) {
      starts.push_back(i + 1);
    }
  }
  starts.push_back(text.size());
  return starts;
}

std::string_view lineAt(std::string_view text, const std::vector<size_t>& starts, size_t line) {
  return text.substr(starts[line], starts[line + 1] - starts[line]);
}

bool isBlankOrComment(std::string_view line) {
  const size_t first = line.find_first_not_of(" \t\r\n");
  return first == std::string_view::npos || line[first] == '#';
}

bool isDocumentMarker(std::string_view line) {
  return line.starts_with("---") || line.starts_with("...");
}

}  // namespace

std::optional<SectionPlace> locateSection(std::string_view text, const YAML::Node& root, Section section,
                                          std::string& error) {
  SectionPlace place;
  if (root.IsNull()) {
    return place;
  }
  if (!root.IsMap()) {
    error = "the config is not a map of top-level keys";
    return std::nullopt;
  }
  if (root.Style() == YAML::EmitterStyle::Flow) {
    error = "the config's top-level map is in flow style ({...}): edits need one key per line";
    return std::nullopt;
  }
  const std::string key(sectionKey(section));
  int key_line = -1;
  int next_line = std::numeric_limits<int>::max();
  for (auto it = root.begin(); it != root.end(); ++it) {
    const YAML::Mark mark = it->first.Mark();
    if (key_line < 0 && it->first.IsScalar() && it->first.Scalar() == key) {
      if (mark.is_null() || mark.column != 0) {
        error = "the top-level key '" + key + "' must start a line";
        return std::nullopt;
      }
      key_line = mark.line;
      place.value = it->second;
    }
  }
  if (key_line < 0) {
    return place;
  }
  for (auto it = root.begin(); it != root.end(); ++it) {
    const YAML::Mark mark = it->first.Mark();
    if (!mark.is_null() && mark.line > key_line) {
      next_line = std::min(next_line, mark.line);
    }
  }
  const std::vector<size_t> starts = lineStarts(text);
  const int line_count = static_cast<int>(starts.size()) - 1;
  int last = key_line;
  for (int l = key_line + 1; l < std::min(next_line, line_count); ++l) {
    const std::string_view line = lineAt(text, starts, static_cast<size_t>(l));
    if (isDocumentMarker(line)) {
      break;
    }
    if (!isBlankOrComment(line)) {
      last = l;
    }
  }
  place.found = true;
  place.begin = starts[static_cast<size_t>(key_line)];
  place.end = starts[static_cast<size_t>(last) + 1];
  return place;
}

}  // namespace sluice::config::detail
