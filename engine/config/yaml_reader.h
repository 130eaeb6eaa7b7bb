#pragma once
// Typed, error-collecting access to yaml-cpp nodes for the config loader. Nothing here throws: every
// problem becomes a ConfigError in Diagnostics, cited at the offending node's line, and the reader
// carries on so one run reports all errors. Internal to engine/config.

#include <yaml-cpp/yaml.h>

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/config.h"
#include "engine/config/config_error.h"

namespace sluice::config::detail {

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void error(int line, std::string message);
  bool hasErrors() const { return !errors_.empty(); }
  SourceLocation where(int line) const { return SourceLocation{file_, line}; }
  // The errors in line order (stable: errors on one line keep the order they were found in).
  std::vector<ConfigError> takeSorted();

 private:
  std::string file_;
  std::vector<ConfigError> errors_;
};

// 1-based line of a node; 0 if yaml-cpp has no mark for it.
int lineOf(const YAML::Node& node);

// `node` for messages: 'text' for a scalar (shortened), else "a list", "a map", "nothing".
std::string describe(const YAML::Node& node);

// A value to read and the name and line to cite: a map entry (the key's line), or a list item.
struct Field {
  std::string key;
  YAML::Node value;
  int line = 0;
};

// Scalar conversions. Each reports its own error (naming field.key) and returns nullopt on failure.
std::optional<std::string> readString(const Field& field, Diagnostics& diag, bool allow_empty = false);
std::optional<int64_t> readInt(const Field& field, Diagnostics& diag, int64_t min, int64_t max);
std::optional<Duration> readDuration(const Field& field, Diagnostics& diag, Duration min);
std::optional<uint64_t> readSize(const Field& field, Diagnostics& diag, uint64_t min, uint64_t max);
std::optional<Address> readAddress(const Field& field, Diagnostics& diag, bool bind);
std::optional<size_t> readChoice(const Field& field, Diagnostics& diag,
                                 std::span<const std::string_view> choices);
// The items of a list (null: none), each as a Field named after the list; nullopt if not a list.
std::optional<std::vector<Field>> readList(const Field& field, Diagnostics& diag);
// true or false (no yes/no/on/off: they read as strings in YAML 1.2 and surprise people).
std::optional<bool> readBool(const Field& field, Diagnostics& diag);

template <typename E>
struct Choice {
  std::string_view name;
  E value;
};

// The entries of one YAML map. Construction reports unknown keys (with a "did you mean"), duplicate
// keys and non-scalar keys; `keys` is every key the map may hold.
class MapReader {
 public:
  MapReader(const YAML::Node& map, std::span<const std::string_view> keys, Diagnostics& diag);

  const Field* find(std::string_view key) const;
  int line() const { return line_; }
  // False and "CONTEXT: missing required key 'KEY'" at the map's line if `key` is absent.
  bool require(std::string_view key, std::string_view context) const;
  Diagnostics& diag() const { return diag_; }

  // Each stores the value of `key` in `out` and returns true if the key is present and valid; an
  // absent key leaves `out` alone (its default) and returns false.
  bool read(std::string_view key, std::string& out) const;
  bool read(std::string_view key, Duration& out, Duration min = Duration::zero()) const;
  bool readSize(std::string_view key, uint64_t& out, uint64_t min, uint64_t max) const;
  bool readSize(std::string_view key, uint32_t& out, uint64_t min, uint64_t max) const;
  bool readAddress(std::string_view key, Address& out, bool bind) const;
  bool readBool(std::string_view key, bool& out) const;

  template <typename T>
  bool readInt(std::string_view key, T& out, int64_t min, int64_t max) const {
    const Field* field = find(key);
    if (field == nullptr) {
      return false;
    }
    std::optional<int64_t> value = detail::readInt(*field, diag_, min, max);
    if (value) {
      out = static_cast<T>(*value);
    }
    return value.has_value();
  }

  template <typename E, size_t N>
  bool readEnum(std::string_view key, E& out, const std::array<Choice<E>, N>& choices) const {
    const Field* field = find(key);
    if (field == nullptr) {
      return false;
    }
    std::array<std::string_view, N> names;
    for (size_t i = 0; i < N; ++i) {
      names[i] = choices[i].name;
    }
    std::optional<size_t> index = readChoice(*field, diag_, names);
    if (index) {
      out = choices[*index].value;
    }
    return index.has_value();
  }

 private:
  Diagnostics& diag_;
  int line_ = 0;
  std::vector<Field> fields_;
};

// "upstream 'api'" for messages about one list entry; just "upstream" while its name is unknown.
inline std::string entryContext(std::string_view kind, const std::string& name) {
  return name.empty() ? std::string(kind) : std::string(kind) + " '" + name + "'";
}

// Reports "what must be a map" unless `field.value` is one.
bool expectMap(const Field& field, std::string_view what, Diagnostics& diag);

// Names of list entries (listeners, routes...) must be unique; remembers where each was first seen.
class NameRegistry {
 public:
  explicit NameRegistry(std::string_view kind) : kind_(kind) {}
  // Reads the required, unique `name` of a list entry into `out`: letters, digits, '_', '-', '.'.
  // False (with an error) if it is missing, malformed or already taken.
  bool readName(const MapReader& map, std::string& out);

 private:
  std::string_view kind_;
  std::vector<std::pair<std::string, int>> seen_;
};

}  // namespace sluice::config::detail
