#include "engine/config/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "engine/config/address_parse.h"
#include "engine/config/suggest.h"
#include "engine/config/units.h"

namespace sluice::config::detail {
namespace {

constexpr size_t kMaxQuoted = 40;

std::string quote(std::string_view text) {
  std::string out = "'";
  for (char c : text.substr(0, kMaxQuoted)) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  if (text.size() > kMaxQuoted) {
    out += "...";
  }
  return out + "'";
}

bool allDigits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// The scalar text of `field`, or an error "'key' must be <expected>, got <what it is>".
const std::string* scalarOf(const Field& field, Diagnostics& diag, std::string_view expected) {
  if (field.value.IsScalar()) {
    return &field.value.Scalar();
  }
  if (field.value.IsNull()) {
    diag.error(field.line, "'" + field.key + "' has no value");
  } else {
    diag.error(field.line,
               "'" + field.key + "' must be " + std::string(expected) + ", got " + describe(field.value));
  }
  return nullptr;
}

std::string joinChoices(std::span<const std::string_view> choices) {
  std::string out;
  for (size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) {
      out += i + 1 == choices.size() ? " or " : ", ";
    }
    out += choices[i];
  }
  return out;
}

}  // namespace

void Diagnostics::error(int line, std::string message) {
  errors_.push_back(ConfigError{file_, line, std::move(message)});
}

std::vector<ConfigError> Diagnostics::takeSorted() {
  std::stable_sort(errors_.begin(), errors_.end(),
                   [](const ConfigError& a, const ConfigError& b) { return a.line < b.line; });
  return std::move(errors_);
}

int lineOf(const YAML::Node& node) {
  if (!node.IsDefined() || node.Mark().is_null()) {
    return 0;
  }
  return node.Mark().line + 1;
}

std::string describe(const YAML::Node& node) {
  if (node.IsScalar()) {
    return quote(node.Scalar());
  }
  if (node.IsSequence()) {
    return "a list";
  }
  if (node.IsMap()) {
    return "a map";
  }
  return "nothing";
}

std::optional<std::string> readString(const Field& field, Diagnostics& diag, bool allow_empty) {
  const std::string* text = scalarOf(field, diag, "a string");
  if (text == nullptr) {
    return std::nullopt;
  }
  if (text->empty() && !allow_empty) {
    diag.error(field.line, "'" + field.key + "' must not be empty");
    return std::nullopt;
  }
  return *text;
}

std::optional<int64_t> readInt(const Field& field, Diagnostics& diag, int64_t min, int64_t max) {
  const std::string* text = scalarOf(field, diag, "an integer");
  if (text == nullptr) {
    return std::nullopt;
  }
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec == std::errc::invalid_argument || ptr != text->data() + text->size()) {
    diag.error(field.line, "'" + field.key + "' must be an integer, got " + quote(*text));
    return std::nullopt;
  }
  if (ec == std::errc::result_out_of_range || value < min || value > max) {
    const std::string range = max == std::numeric_limits<int64_t>::max()
                                  ? ">= " + std::to_string(min)
                                  : std::to_string(min) + ".." + std::to_string(max);
    diag.error(field.line, "'" + field.key + "' must be " + range + ", got " + *text);
    return std::nullopt;
  }
  return value;
}

std::optional<Duration> readDuration(const Field& field, Diagnostics& diag, Duration min) {
  const std::string* text = scalarOf(field, diag, "a duration (e.g. 30s)");
  if (text == nullptr) {
    return std::nullopt;
  }
  std::optional<Duration> value = parseDuration(*text);
  if (!value) {
    if (allDigits(*text)) {
      diag.error(field.line, "bad duration " + quote(*text) + ": use a unit, e.g. " + *text + "s");
    } else {
      diag.error(field.line, "bad duration " + quote(*text) + ": use e.g. 250ms, 30s, 1m30s, 1h or 1d");
    }
    return std::nullopt;
  }
  if (*value < min) {
    const std::string bound = min == Duration(1) ? "more than 0s" : "at least " + formatDuration(min);
    diag.error(field.line, "'" + field.key + "' must be " + bound + ", got " + *text);
    return std::nullopt;
  }
  return value;
}

std::optional<uint64_t> readSize(const Field& field, Diagnostics& diag, uint64_t min, uint64_t max) {
  const std::string* text = scalarOf(field, diag, "a size (e.g. 16KiB)");
  if (text == nullptr) {
    return std::nullopt;
  }
  std::optional<uint64_t> value = parseSize(*text);
  if (!value) {
    diag.error(field.line, "bad size " + quote(*text) + ": use bytes or a unit, e.g. 512, 16KiB, 1MiB, 1GiB");
    return std::nullopt;
  }
  if (*value < min || *value > max) {
    const std::string range = max == std::numeric_limits<uint64_t>::max()
                                  ? "at least " + formatSize(min)
                                  : formatSize(min) + ".." + formatSize(max);
    diag.error(field.line, "'" + field.key + "' must be " + range + ", got " + *text);
    return std::nullopt;
  }
  return value;
}

std::optional<Address> readAddress(const Field& field, Diagnostics& diag, bool bind) {
  const std::string* text = scalarOf(field, diag, "HOST:PORT");
  if (text == nullptr) {
    return std::nullopt;
  }
  std::string why;
  std::optional<Address> address = parseAddress(*text, bind, &why);
  if (!address) {
    diag.error(field.line, "bad address " + quote(*text) + ": " + why);
  }
  return address;
}

std::optional<size_t> readChoice(const Field& field, Diagnostics& diag,
                                 std::span<const std::string_view> choices) {
  const std::string expected = joinChoices(choices);
  const std::string* text = scalarOf(field, diag, expected);
  if (text == nullptr) {
    return std::nullopt;
  }
  auto it = std::find(choices.begin(), choices.end(), *text);
  if (it != choices.end()) {
    return static_cast<size_t>(it - choices.begin());
  }
  std::string message = "'" + field.key + "' must be " + expected + ", got " + quote(*text);
  if (std::optional<std::string> guess = nearest(*text, choices)) {
    message += " (did you mean '" + *guess + "'?)";
  }
  diag.error(field.line, std::move(message));
  return std::nullopt;
}

std::optional<std::vector<Field>> readList(const Field& field, Diagnostics& diag) {
  std::vector<Field> items;
  if (field.value.IsNull()) {
    return items;
  }
  if (!field.value.IsSequence()) {
    diag.error(field.line, "'" + field.key + "' must be a list, got " + describe(field.value));
    return std::nullopt;
  }
  for (const YAML::Node& item : field.value) {
    const int line = lineOf(item);
    items.push_back(Field{field.key, item, line > 0 ? line : field.line});
  }
  return items;
}

std::optional<bool> readBool(const Field& field, Diagnostics& diag) {
  const std::string* text = scalarOf(field, diag, "true or false");
  if (text == nullptr) {
    return std::nullopt;
  }
  if (*text == "true" || *text == "false") {
    return *text == "true";
  }
  diag.error(field.line, "'" + field.key + "' must be true or false, got " + quote(*text));
  return std::nullopt;
}

bool expectMap(const Field& field, std::string_view what, Diagnostics& diag) {
  if (field.value.IsMap()) {
    return true;
  }
  diag.error(field.line, std::string(what) + " must be a map of keys, got " + describe(field.value));
  return false;
}

MapReader::MapReader(const YAML::Node& map, std::span<const std::string_view> keys, Diagnostics& diag)
    : diag_(diag), line_(lineOf(map)) {
  if (!map.IsMap()) {
    return;
  }
  for (const auto& entry : map) {
    const YAML::Node& key = entry.first;
    const int key_line = lineOf(key);
    if (!key.IsScalar()) {
      diag_.error(key_line, "keys must be plain names, got " + describe(key));
      continue;
    }
    const std::string& name = key.Scalar();
    if (std::find(keys.begin(), keys.end(), name) == keys.end()) {
      std::string message = "unknown key " + quote(name);
      if (std::optional<std::string> guess = nearest(name, keys)) {
        message += " (did you mean '" + *guess + "'?)";
      }
      diag_.error(key_line, std::move(message));
      continue;
    }
    if (const Field* first = find(name)) {
      diag_.error(key_line,
                  "duplicate key " + quote(name) + " (first at line " + std::to_string(first->line) + ")");
      continue;
    }
    fields_.push_back(Field{name, entry.second, key_line});
  }
}

const Field* MapReader::find(std::string_view key) const {
  for (const Field& field : fields_) {
    if (field.key == key) {
      return &field;
    }
  }
  return nullptr;
}

bool MapReader::read(std::string_view key, std::string& out) const {
  const Field* field = find(key);
  std::optional<std::string> value = field ? readString(*field, diag_) : std::nullopt;
  if (value) {
    out = std::move(*value);
  }
  return value.has_value();
}

bool MapReader::read(std::string_view key, Duration& out, Duration min) const {
  const Field* field = find(key);
  std::optional<Duration> value = field ? readDuration(*field, diag_, min) : std::nullopt;
  if (value) {
    out = *value;
  }
  return value.has_value();
}

bool MapReader::readSize(std::string_view key, uint64_t& out, uint64_t min, uint64_t max) const {
  const Field* field = find(key);
  std::optional<uint64_t> value = field ? detail::readSize(*field, diag_, min, max) : std::nullopt;
  if (value) {
    out = *value;
  }
  return value.has_value();
}

bool MapReader::readSize(std::string_view key, uint32_t& out, uint64_t min, uint64_t max) const {
  uint64_t wide = out;
  const bool ok = readSize(key, wide, min, std::min<uint64_t>(max, std::numeric_limits<uint32_t>::max()));
  if (ok) {
    out = static_cast<uint32_t>(wide);
  }
  return ok;
}

bool MapReader::readAddress(std::string_view key, Address& out, bool bind) const {
  const Field* field = find(key);
  std::optional<Address> value = field ? detail::readAddress(*field, diag_, bind) : std::nullopt;
  if (value) {
    out = std::move(*value);
  }
  return value.has_value();
}

bool MapReader::readBool(std::string_view key, bool& out) const {
  const Field* field = find(key);
  std::optional<bool> value = field ? detail::readBool(*field, diag_) : std::nullopt;
  if (value) {
    out = *value;
  }
  return value.has_value();
}

bool MapReader::require(std::string_view key, std::string_view context) const {
  if (find(key) != nullptr) {
    return true;
  }
  std::string message = "missing required key '" + std::string(key) + "'";
  diag_.error(line_, context.empty() ? message : std::string(context) + ": " + message);
  return false;
}

bool NameRegistry::readName(const MapReader& map, std::string& out) {
  if (!map.require("name", kind_)) {
    return false;
  }
  const Field& field = *map.find("name");
  std::optional<std::string> name = readString(field, map.diag());
  if (!name) {
    return false;
  }
  if (name->find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") !=
      std::string::npos) {
    map.diag().error(field.line, "bad " + std::string(kind_) + " name " + quote(*name) +
                                     ": use letters, digits, '_', '-' and '.'");
    return false;
  }
  for (const auto& [seen, seen_line] : seen_) {
    if (seen == *name) {
      map.diag().error(field.line, "duplicate " + std::string(kind_) + " name '" + *name +
                                       "' (first defined at line " + std::to_string(seen_line) + ")");
      return false;
    }
  }
  seen_.emplace_back(*name, field.line);
  out = std::move(*name);
  return true;
}

}  // namespace sluice::config::detail
