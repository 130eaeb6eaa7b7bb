#include "engine/ctl/policy_args.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <cstdlib>

namespace sluice::ctl {
namespace {

bool isInteger(std::string_view t) {
  size_t i = (t.size() > 1 && (t[0] == '-' || t[0] == '+')) ? 1 : 0;
  if (i == t.size()) {
    return false;
  }
  for (; i < t.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) {
      return false;
    }
  }
  return true;
}

// Digits with one '.', optionally an exponent: "1.5", ".5", "2e3". Not "1m", "1.2.3", "inf".
bool isFloat(std::string_view t) {
  size_t i = (!t.empty() && (t[0] == '-' || t[0] == '+')) ? 1 : 0;
  bool digits = false, dot = false;
  for (; i < t.size(); ++i) {
    const char c = t[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else if ((c == 'e' || c == 'E') && digits) {
      return isInteger(t.substr(i + 1));
    } else {
      return false;
    }
  }
  return digits && dot;
}

std::string_view trim(std::string_view t) {
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) {
    t.remove_prefix(1);
  }
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) {
    t.remove_suffix(1);
  }
  return t;
}

bool quoted(std::string_view t) {
  return t.size() >= 2 && (t.front() == '"' || t.front() == '\'') && t.back() == t.front();
}

nlohmann::json yamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& kv : node) {
        out[kv.first.Scalar()] = yamlToJson(kv.second);
      }
      return out;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : node) {
        out.push_back(yamlToJson(item));
      }
      return out;
    }
    case YAML::NodeType::Scalar:
      // A quoted YAML scalar ("100") has tag "!": it is a string whatever it reads like.
      return node.Tag() == "!" ? nlohmann::json(node.Scalar()) : scalarValue(node.Scalar());
    default:
      return nullptr;
  }
}

}  // namespace

nlohmann::json scalarValue(std::string_view text) {
  if (text == "true") {
    return true;
  }
  if (text == "false") {
    return false;
  }
  if (isInteger(text)) {
    int64_t v = 0;
    const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
    auto [end, ec] = std::from_chars(begin, text.data() + text.size(), v);
    if (ec == std::errc() && end == text.data() + text.size()) {
      return v;
    }
    return std::string(text);  // out of range: let the node say what is wrong with it
  }
  if (isFloat(text)) {
    const std::string copy(text);
    return std::strtod(copy.c_str(), nullptr);
  }
  return std::string(text);
}

nlohmann::json argumentValue(std::string_view text) {
  text = trim(text);
  if (quoted(text)) {
    return std::string(text.substr(1, text.size() - 2));
  }
  const bool bracketed = text.size() >= 2 && text.front() == '[' && text.back() == ']';
  if (bracketed) {
    text = trim(text.substr(1, text.size() - 2));
    if (text.empty()) {
      return nlohmann::json::array();
    }
  }
  if (!bracketed && text.find(',') == std::string_view::npos) {
    return scalarValue(text);
  }
  nlohmann::json list = nlohmann::json::array();
  while (true) {
    const size_t comma = text.find(',');
    const std::string_view item = trim(text.substr(0, comma));
    if (!item.empty()) {
      list.push_back(quoted(item) ? nlohmann::json(std::string(item.substr(1, item.size() - 2)))
                                  : scalarValue(item));
    }
    if (comma == std::string_view::npos) {
      break;
    }
    text.remove_prefix(comma + 1);
  }
  return list;
}

std::optional<nlohmann::json> parsePolicyArgs(const std::vector<std::string>& words, nlohmann::json policy,
                                              std::string& error) {
  if (!policy.is_object()) {
    policy = nlohmann::json::object();
  }
  for (const std::string& word : words) {
    const size_t eq = word.find('=');
    if (eq == std::string::npos) {
      error = "'" + word + "' is not key=value";
      return std::nullopt;
    }
    const std::string key(trim(std::string_view(word).substr(0, eq)));
    if (key.empty()) {
      error = "'" + word + "' has no key before '='";
      return std::nullopt;
    }
    policy[key] = argumentValue(std::string_view(word).substr(eq + 1));
  }
  return policy;
}

std::optional<nlohmann::json> parsePolicyText(std::string_view text, std::string& error) {
  const std::string_view body = trim(text);
  nlohmann::json doc;
  if (!body.empty() && (body.front() == '{' || body.front() == '[')) {
    doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded()) {
      error = "not valid JSON";
      return std::nullopt;
    }
  } else {
    // yaml-cpp reports syntax errors by throwing; this is a CLI reading a file, not the data path.
    try {
      doc = yamlToJson(YAML::Load(std::string(body)));
    } catch (const YAML::Exception& e) {
      error = std::string("not valid YAML: ") + e.what();
      return std::nullopt;
    }
  }
  if (doc.is_array() && doc.size() == 1) {
    doc = doc[0];
  }
  if (!doc.is_object()) {
    error = "expected one mapping (a policy's keys), or a list with exactly one";
    return std::nullopt;
  }
  return doc;
}

}  // namespace sluice::ctl
