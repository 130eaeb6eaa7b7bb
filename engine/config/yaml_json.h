#pragma once
// YAML <-> JSON for the config document (config.get, *.list, *.set): YAML nodes as JSON values, and
// JSON values or YAML nodes written back through a YAML::Emitter in the config file's style (block
// maps, lists of scalars in flow style, strings quoted when they would read as another type).
// Internal to engine/config; nothing here throws (callers catch yaml-cpp's parse errors).

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

namespace sluice::config::detail {

// A node as JSON, keeping the order of map keys. Quoted or tagged scalars are strings; plain ones
// are typed by plainScalarKind.
nlohmann::ordered_json nodeToJson(const YAML::Node& node);

// The same, with JSON's usual sorted keys (the view config.get shows).
nlohmann::json toPlainJson(const nlohmann::ordered_json& value);

// Writes a value at the emitter's current position. A YAML node keeps each scalar's text and
// whether it was quoted; a JSON value's strings are quoted when needsQuotes() says so.
void emitNode(YAML::Emitter& out, const YAML::Node& node);
void emitJson(YAML::Emitter& out, const nlohmann::ordered_json& value);

}  // namespace sluice::config::detail
