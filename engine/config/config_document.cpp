// Section rewrite: the edited top-level section is located by yaml-cpp's marks, emitted again with
// YAML::Emitter, and spliced into the original text between whole lines, so every byte outside it
// stays as the user wrote it.

#include "engine/config/config_document.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <limits>
#include <span>

#include "engine/config/section_place.h"
#include "engine/config/yaml_json.h"

namespace sluice::config {
namespace {

using OrderedJson = nlohmann::ordered_json;

// The keys of a new entry in the order the reference documents them (then any others, sorted), so a
// policy added over the socket reads like one written by hand.
constexpr std::array<std::string_view, 14> kRateLimitOrder{
    "name",        "algorithm",   "key",           "limit",           "window",
    "burst",       "mode",        "headers",       "fallback",        "missing_key_status",
    "ipv4_prefix", "ipv6_prefix", "max_in_flight", "in_flight_status"};
constexpr std::array<std::string_view, 7> kCachePolicyOrder{
    "name",           "default_ttl",     "max_ttl",     "stale_while_revalidate",
    "stale_if_error", "max_object_size", "lock_timeout"};

std::span<const std::string_view> keyOrder(Section section) {
  if (section == Section::RateLimits) {
    return kRateLimitOrder;
  }
  return kCachePolicyOrder;
}

std::optional<YAML::Node> parse(std::string_view yaml, std::string& error) {
  try {
    return YAML::Load(std::string(yaml));
  } catch (const std::exception& e) {
    error = std::string("the config is not valid YAML: ") + e.what();
  }
  return std::nullopt;
}

std::string entryName(const YAML::Node& item) {
  if (!item.IsMap()) {
    return {};
  }
  const YAML::Node name = item["name"];
  return name.IsDefined() && name.IsScalar() ? name.Scalar() : std::string();
}

// The new entry with its keys ordered: as in the entry it replaces, then the reference order.
OrderedJson orderedEntry(const nlohmann::json& entry, const YAML::Node* replaced, Section section) {
  OrderedJson out = OrderedJson::object();
  auto take = [&](const std::string& key) {
    auto it = entry.find(key);
    if (it != entry.end() && !out.contains(key)) {
      out[key] = OrderedJson::parse(it->dump(), nullptr, false);
    }
  };
  if (replaced != nullptr && replaced->IsMap()) {
    for (auto it = replaced->begin(); it != replaced->end(); ++it) {
      if (it->first.IsScalar()) {
        take(it->first.Scalar());
      }
    }
  }
  for (std::string_view key : keyOrder(section)) {
    take(std::string(key));
  }
  for (auto it = entry.begin(); it != entry.end(); ++it) {
    take(it.key());
  }
  return out;
}

// One entry of the section: kept as it was (a YAML node) or new (JSON).
struct Item {
  const YAML::Node* node = nullptr;
  const OrderedJson* json = nullptr;
};

// The entries as they will read back: kept nodes and the new entry.
nlohmann::json entriesJson(const std::vector<Item>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const Item& item : items) {
    out.push_back(item.node != nullptr ? detail::toPlainJson(detail::nodeToJson(*item.node))
                                       : detail::toPlainJson(*item.json));
  }
  return out;
}

std::string emitSection(Section section, const std::vector<Item>& items) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << std::string(sectionKey(section)) << YAML::Value;
  if (items.empty()) {
    out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
  } else {
    out << YAML::BeginSeq;
    for (const Item& item : items) {
      if (item.node != nullptr) {
        detail::emitNode(out, *item.node);
      } else {
        detail::emitJson(out, *item.json);
      }
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::string splice(std::string_view text, const detail::SectionPlace& place, const std::string& section) {
  if (place.found) {
    return std::string(text.substr(0, place.begin)) + section + std::string(text.substr(place.end));
  }
  std::string out(text);
  if (!out.empty() && out.back() != '\n') {
    out += '\n';
  }
  return out + section;
}

// The rewrite must read back as the original document with only the section changed. Plain YAML
// always does; this catches layouts the line splice cannot handle (yaml-cpp reads a last line "r"
// without a colon as a key, which the appended section would then run into).
bool readsBack(const YAML::Node& root, const std::string& result, Section section,
               const nlohmann::json& entries, std::string& error) {
  nlohmann::json expected =
      root.IsMap() ? detail::toPlainJson(detail::nodeToJson(root)) : nlohmann::json::object();
  expected[std::string(sectionKey(section))] = entries;
  std::string parse_error;
  std::optional<YAML::Node> again = parse(result, parse_error);
  if (again && detail::toPlainJson(detail::nodeToJson(*again)) == expected) {
    return true;
  }
  error = "the file's layout around '" + std::string(sectionKey(section)) +
          "' cannot be rewritten safely (the result would not read back as intended); edit it by hand";
  return false;
}

// The section's entries as nodes; false when the section holds something other than a list.
bool entriesOf(const detail::SectionPlace& place, Section section, std::vector<YAML::Node>& out,
               std::string& error) {
  if (!place.found || place.value.IsNull()) {
    return true;
  }
  if (!place.value.IsSequence()) {
    error = "'" + std::string(sectionKey(section)) + "' is not a list";
    return false;
  }
  for (const YAML::Node& item : place.value) {
    out.push_back(item);
  }
  return true;
}

}  // namespace

std::string_view sectionKey(Section section) {
  return section == Section::RateLimits ? "rate_limits" : "cache_policies";
}

std::optional<nlohmann::json> documentToJson(std::string_view yaml, std::string& error) {
  std::optional<YAML::Node> root = parse(yaml, error);
  if (!root) {
    return std::nullopt;
  }
  return detail::toPlainJson(detail::nodeToJson(*root));
}

std::vector<nlohmann::json> sectionEntries(std::string_view yaml, Section section) {
  std::string error;
  std::optional<YAML::Node> root = parse(yaml, error);
  std::vector<nlohmann::json> out;
  if (!root || !root->IsMap()) {
    return out;
  }
  const YAML::Node value = (*root)[std::string(sectionKey(section))];
  if (!value.IsDefined() || !value.IsSequence()) {
    return out;
  }
  for (const YAML::Node& item : value) {
    out.push_back(detail::toPlainJson(detail::nodeToJson(item)));
  }
  return out;
}

std::optional<EditedText> setEntry(std::string_view yaml, Section section, const nlohmann::json& entry,
                                   std::string& error) {
  if (!entry.is_object()) {
    error = "the policy must be an object";
    return std::nullopt;
  }
  auto name_it = entry.find("name");
  if (name_it == entry.end() || !name_it->is_string() || name_it->get<std::string>().empty()) {
    error = "the policy's 'name' must be a non-empty string";
    return std::nullopt;
  }
  const std::string name = name_it->get<std::string>();
  std::optional<YAML::Node> root = parse(yaml, error);
  if (!root) {
    return std::nullopt;
  }
  std::optional<detail::SectionPlace> place = detail::locateSection(yaml, *root, section, error);
  std::vector<YAML::Node> nodes;
  if (!place || !entriesOf(*place, section, nodes, error)) {
    return std::nullopt;
  }
  auto replaced =
      std::find_if(nodes.begin(), nodes.end(), [&](const YAML::Node& n) { return entryName(n) == name; });
  const OrderedJson json = orderedEntry(entry, replaced == nodes.end() ? nullptr : &*replaced, section);
  std::vector<Item> items;
  for (auto it = nodes.begin(); it != nodes.end(); ++it) {
    items.push_back(it == replaced ? Item{nullptr, &json} : Item{&*it, nullptr});
  }
  if (replaced == nodes.end()) {
    items.push_back(Item{nullptr, &json});
  }
  std::string result = splice(yaml, *place, emitSection(section, items));
  if (!readsBack(*root, result, section, entriesJson(items), error)) {
    return std::nullopt;
  }
  return EditedText{std::move(result), replaced == nodes.end()};
}

std::optional<std::string> deleteEntry(std::string_view yaml, Section section, std::string_view name) {
  std::string error;
  std::optional<YAML::Node> root = parse(yaml, error);
  if (!root) {
    return std::nullopt;
  }
  std::optional<detail::SectionPlace> place = detail::locateSection(yaml, *root, section, error);
  std::vector<YAML::Node> nodes;
  if (!place || !place->found || !entriesOf(*place, section, nodes, error)) {
    return std::nullopt;
  }
  std::vector<Item> items;
  bool removed = false;
  for (const YAML::Node& node : nodes) {
    if (!removed && entryName(node) == name) {
      removed = true;
    } else {
      items.push_back(Item{&node, nullptr});
    }
  }
  if (!removed) {
    return std::nullopt;
  }
  std::string result = splice(yaml, *place, emitSection(section, items));
  if (!readsBack(*root, result, section, entriesJson(items), error)) {
    return std::nullopt;
  }
  return result;
}

}  // namespace sluice::config
