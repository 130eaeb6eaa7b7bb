// fieldPathAtLine: maps a loader error's line to the JSON path of the config value it is about.

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "engine/config/config_document.h"

namespace sluice::config {
namespace {

constexpr int kNoLine = std::numeric_limits<int>::min();

// 1-based line of a node's start; kNoLine when yaml-cpp has none. A null value's mark points past
// it (at the next token), so nulls have no line of their own.
int startLine(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (node.IsNull() || mark.is_null()) {
    return kNoLine;
  }
  return mark.line + 1;
}

// The last line any mark inside `node` is on (a multi-line scalar's later lines are not known).
int lastLine(const YAML::Node& node) {
  int last = startLine(node);
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      last = std::max(last, lastLine(item));
    }
  } else if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      last = std::max({last, startLine(it->first), lastLine(it->second)});
    }
  }
  return last;
}

// A map entry or list item of a collection: its path, the lines it spans, and its value.
struct Child {
  std::string path;
  int first = kNoLine;
  int last = kNoLine;
  YAML::Node value;
};

std::vector<Child> childrenOf(const YAML::Node& node, const std::string& path) {
  std::vector<Child> out;
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string("?");
      const int first = startLine(it->first);
      out.push_back(Child{path.empty() ? key : path + "." + key, first, std::max(first, lastLine(it->second)),
                          it->second});
    }
  } else if (node.IsSequence()) {
    size_t index = 0;
    for (const YAML::Node& item : node) {
      out.push_back(Child{path + "[" + std::to_string(index++) + "]", startLine(item), lastLine(item), item});
    }
  }
  return out;
}

// The outermost entry starting on `line`; else the innermost one whose lines enclose it. When
// several siblings start on the line (a flow collection), the line alone cannot tell them apart:
// their collection is the answer.
std::string pathIn(const YAML::Node& node, const std::string& path, int line) {
  const std::vector<Child> children = childrenOf(node, path);
  const Child* starting = nullptr;
  int starting_count = 0;
  const Child* enclosing = nullptr;
  for (const Child& child : children) {
    if (child.first == line) {
      starting = &child;
      ++starting_count;
    } else if (child.first != kNoLine && child.first < line && line <= child.last &&
               (enclosing == nullptr || child.first > enclosing->first)) {
      enclosing = &child;
    }
  }
  if (starting_count == 1) {
    return starting->path;
  }
  if (starting_count > 1 || enclosing == nullptr) {
    return path;
  }
  return pathIn(enclosing->value, enclosing->path, line);
}

}  // namespace

std::string fieldPathAtLine(std::string_view yaml, int line) {
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    if (!root.IsMap()) {
      return {};
    }
    return pathIn(root, "", line);
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace sluice::config
