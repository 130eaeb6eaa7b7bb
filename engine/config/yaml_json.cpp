#include "engine/config/yaml_json.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "engine/config/yaml_scalar.h"

namespace sluice::config::detail {
namespace {

using OrderedJson = nlohmann::ordered_json;

// Quoted scalars carry the non-specific tag "!", plain ones "?"; any other tag (e.g. !!str) makes
// the scalar text whatever it looks like.
bool isPlain(const YAML::Node& node) {
  return node.Tag() == "?";
}

OrderedJson scalarToJson(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (!isPlain(node)) {
    return text;
  }
  switch (plainScalarKind(text)) {
    case ScalarKind::Null:
      return nullptr;
    case ScalarKind::Bool:
      return text == "true";
    case ScalarKind::Int:
      if (text[0] == '-') {
        return std::strtoll(text.c_str(), nullptr, 10);
      }
      return std::strtoull(text.c_str() + (text[0] == '+' ? 1 : 0), nullptr, 10);
    case ScalarKind::Float:
      return std::strtod(text.c_str(), nullptr);
    case ScalarKind::String:
      break;
  }
  return text;
}

bool hasControlCharacter(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

// Single quotes like the rest of a hand-written file; double quotes when only escapes can say it.
void emitQuoted(YAML::Emitter& out, const std::string& text) {
  out << (hasControlCharacter(text) ? YAML::DoubleQuoted : YAML::SingleQuoted) << text;
}

void emitString(YAML::Emitter& out, const std::string& text) {
  if (needsQuotes(text) || hasControlCharacter(text)) {
    emitQuoted(out, text);
  } else {
    out << text;  // the emitter still quotes what cannot be plain ("a: b", "[x]", "#x")
  }
}

bool allScalars(const YAML::Node& node) {
  return std::all_of(node.begin(), node.end(),
                     [](const YAML::Node& item) { return item.IsScalar() || item.IsNull(); });
}

bool allScalars(const OrderedJson& value) {
  return std::all_of(value.begin(), value.end(), [](const OrderedJson& item) { return item.is_primitive(); });
}

}  // namespace

OrderedJson nodeToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return scalarToJson(node);
    case YAML::NodeType::Sequence: {
      OrderedJson out = OrderedJson::array();
      for (const YAML::Node& item : node) {
        out.push_back(nodeToJson(item));
      }
      return out;
    }
    case YAML::NodeType::Map: {
      OrderedJson out = OrderedJson::object();
      for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string();
        out[key] = nodeToJson(it->second);
      }
      return out;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return nullptr;
}

nlohmann::json toPlainJson(const OrderedJson& value) {
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto it = value.begin(); it != value.end(); ++it) {
      out[it.key()] = toPlainJson(it.value());
    }
    return out;
  }
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const OrderedJson& item : value) {
      out.push_back(toPlainJson(item));
    }
    return out;
  }
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_boolean()) {
    return value.get<bool>();
  }
  if (value.is_number_unsigned()) {
    return value.get<uint64_t>();
  }
  if (value.is_number_integer()) {
    return value.get<int64_t>();
  }
  if (value.is_number_float()) {
    return value.get<double>();
  }
  return nullptr;
}

void emitNode(YAML::Emitter& out, const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      if (isPlain(node)) {
        out << node.Scalar();
      } else {
        emitQuoted(out, node.Scalar());
      }
      return;
    case YAML::NodeType::Sequence:
      if (allScalars(node)) {
        out << YAML::Flow;
      }
      out << YAML::BeginSeq;
      for (const YAML::Node& item : node) {
        emitNode(out, item);
      }
      out << YAML::EndSeq;
      return;
    case YAML::NodeType::Map:
      out << YAML::Block << YAML::BeginMap;
      for (auto it = node.begin(); it != node.end(); ++it) {
        out << YAML::Key;
        emitNode(out, it->first);
        out << YAML::Value;
        emitNode(out, it->second);
      }
      out << YAML::EndMap;
      return;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  out << YAML::Null;
}

void emitJson(YAML::Emitter& out, const OrderedJson& value) {
  if (value.is_object()) {
    out << YAML::Block << YAML::BeginMap;
    for (auto it = value.begin(); it != value.end(); ++it) {
      out << YAML::Key;
      emitString(out, it.key());
      out << YAML::Value;
      emitJson(out, it.value());
    }
    out << YAML::EndMap;
  } else if (value.is_array()) {
    if (allScalars(value)) {
      out << YAML::Flow;
    }
    out << YAML::BeginSeq;
    for (const OrderedJson& item : value) {
      emitJson(out, item);
    }
    out << YAML::EndSeq;
  } else if (value.is_string()) {
    emitString(out, value.get<std::string>());
  } else if (value.is_boolean()) {
    out << (value.get<bool>() ? "true" : "false");
  } else if (value.is_number()) {
    out << value.dump();  // JSON's own shortest form: 100, -3, 1.5, 1e+20
  } else {
    out << YAML::Null;
  }
}

}  // namespace sluice::config::detail
